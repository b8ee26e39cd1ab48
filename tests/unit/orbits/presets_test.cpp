// Constellation presets: the bundled shells file loads, every product preset generates its published
// total with the documented layout, a shell with only a total refuses to generate, and malformed files
// give located errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "skyfence/core/error.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

const time::Instant kEpoch = time::parse_iso8601("2026-04-27T00:00:00Z");

std::string upper_id(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const PresetLibrary& bundled() {
  static const PresetLibrary lib = load_presets(presets_path(SKYFENCE_DATA_DIR));
  return lib;
}

// The published totals of the presets the product needs (data/constellations/PROVENANCE.md).
TEST(Presets, EveryProductPresetGeneratesItsPublishedTotal) {
  const std::map<std::string, std::size_t> totals{
      {"starlink_gen1", 4408},           {"starlink_gen2", 29988},    {"kuiper", 3236},
      {"oneweb_gen1_deployed", 588},     {"oneweb_2016_filing", 720}, {"oneweb_phase2_2021", 6372},
      {"telesat_lightspeed_2020", 1671}, {"iridium_next", 66},
  };
  for (const auto& [id, total] : totals) {
    SCOPED_TRACE(id);
    const Preset& p = bundled().find(id);
    EXPECT_TRUE(p.can_generate());
    EXPECT_EQ(static_cast<std::size_t>(p.total()), total);
    const GeneratedConstellation c = generate(p, kEpoch);
    ASSERT_EQ(c.sets.size(), total);
    ASSERT_EQ(c.slots.size(), total);
    // Per shell: the published count, planes and satellites per plane.
    for (std::size_t si = 0; si < p.shells.size(); ++si) {
      std::size_t n = 0;
      int max_plane = -1, max_slot = -1;
      for (const WalkerSlot& s : c.slots) {
        if (s.shell != static_cast<int>(si)) continue;
        ++n;
        max_plane = std::max(max_plane, s.plane);
        max_slot = std::max(max_slot, s.slot);
      }
      EXPECT_EQ(n, static_cast<std::size_t>(p.shells[si].total));
      EXPECT_EQ(max_plane + 1, *p.shells[si].planes);
      EXPECT_EQ(max_slot + 1, *p.shells[si].sats_per_plane);
    }
    // Ids consecutive from the reserved range, names from the upper-cased id.
    EXPECT_EQ(c.sets.front().norad_id, kFirstSyntheticNoradId);
    EXPECT_EQ(c.sets.back().norad_id, kFirstSyntheticNoradId + total - 1);
    EXPECT_LE(c.sets.back().norad_id, kLastSyntheticNoradId);
    EXPECT_EQ(c.sets.front().name.rfind(upper_id(id) + "-0-0", 0), 0u) << c.sets.front().name;
    for (const ElementSet& es : c.sets) EXPECT_EQ(es.epoch, kEpoch);
  }
}

TEST(Presets, ContentsOfTheBundledFile) {
  const PresetLibrary& lib = bundled();
  EXPECT_EQ(lib.presets.size(), 9u);
  const Preset& gen1 = lib.find("starlink_gen1");
  EXPECT_EQ(gen1.system, "Starlink Gen1");
  EXPECT_EQ(gen1.operator_name, "SpaceX");
  EXPECT_NE(gen1.filing.find("SAT-MOD-20200417-00037"), std::string::npos);
  ASSERT_EQ(gen1.shells.size(), 5u);
  EXPECT_EQ(gen1.shells[0].name, "Gen1 shell 1");
  EXPECT_EQ(gen1.shells[0].altitude_km, 550.0);
  EXPECT_EQ(*gen1.shells[0].inclination_deg, 53.0);
  EXPECT_EQ(*gen1.shells[0].mean_motion_rev_per_day, 15.19);
  // Sources resolved, in order of first citation.
  ASSERT_FALSE(gen1.sources.empty());
  EXPECT_EQ(gen1.sources[0].key, "hypatia");
  EXPECT_EQ(gen1.sources[0].repo, "snkas/hypatia");
  EXPECT_EQ(gen1.sources[0].commit, "0ac531c313eba2335f6344b46347140c3a0d4230");
  const Preset& t25 = lib.find("telesat_lightspeed_2025");
  EXPECT_EQ(t25.sources.front().key, "telesat_2025_news");
  EXPECT_FALSE(t25.sources.front().url.empty());
}

// The layout rules of presets.h, preset by preset.
TEST(Presets, LayoutChoices) {
  const PresetLibrary& lib = bundled();
  const auto layout = [&](const char* id, std::size_t shell) {
    return *lib.find(id).shells.at(shell).layout;
  };
  // Starlink Gen1: delta (shell 1 publishes 5.0 = 360/72), half a slot between adjacent planes.
  for (std::size_t s = 0; s < 5; ++s) {
    const WalkerShell w = layout("starlink_gen1", s);
    EXPECT_EQ(w.pattern, WalkerPattern::delta);
    EXPECT_EQ(w.phasing, w.planes / 2);
  }
  EXPECT_NE(lib.find("starlink_gen1").shells[0].layout_note.find("Hypatia"), std::string::npos);
  EXPECT_EQ(layout("starlink_gen2", 0).phasing, 24);
  EXPECT_EQ(layout("starlink_gen2", 7).pattern, WalkerPattern::delta);  // 148 degrees
  // Kuiper: published walker_F.
  EXPECT_EQ(layout("kuiper", 0).phasing, 3);
  EXPECT_EQ(layout("kuiper", 1).phasing, 3);
  EXPECT_EQ(layout("kuiper", 2).phasing, 1);
  EXPECT_NE(lib.find("kuiper").shells[2].layout_note.find("published"), std::string::npos);
  // OneWeb as deployed: near-polar star over 180 degrees (15-degree step), half a slot.
  EXPECT_EQ(layout("oneweb_gen1_deployed", 0).pattern, WalkerPattern::star);
  EXPECT_DOUBLE_EQ(layout("oneweb_gen1_deployed", 0).effective_raan_step_deg(), 15.0);
  EXPECT_EQ(layout("oneweb_gen1_deployed", 0).phasing, 6);
  // OneWeb 2016: star with the published 10.2-degree step, F from the published 4.5-degree phase.
  EXPECT_EQ(layout("oneweb_2016_filing", 0).pattern, WalkerPattern::star);
  EXPECT_DOUBLE_EQ(layout("oneweb_2016_filing", 0).effective_raan_step_deg(), 10.2);
  EXPECT_EQ(layout("oneweb_2016_filing", 0).phasing, 9);
  // OneWeb phase 2: the 87.9-degree shell is a star, the 40 and 55-degree shells deltas.
  EXPECT_EQ(layout("oneweb_phase2_2021", 0).pattern, WalkerPattern::star);
  EXPECT_EQ(layout("oneweb_phase2_2021", 1).pattern, WalkerPattern::delta);
  EXPECT_EQ(layout("oneweb_phase2_2021", 2).pattern, WalkerPattern::delta);
  // Telesat: hermes's offsets.
  EXPECT_EQ(layout("telesat_lightspeed_2020", 0).pattern, WalkerPattern::delta);
  EXPECT_EQ(layout("telesat_lightspeed_2020", 0).phasing, 1);
  EXPECT_EQ(layout("telesat_lightspeed_2020", 1).phasing, 24);
  // Iridium: star with 31.6 degrees between planes, odd planes half a slot on.
  EXPECT_EQ(layout("iridium_next", 0).pattern, WalkerPattern::star);
  EXPECT_DOUBLE_EQ(layout("iridium_next", 0).effective_raan_step_deg(), 31.6);
  EXPECT_EQ(layout("iridium_next", 0).phasing, 3);
  // Every generatable shell says why.
  for (const Preset& p : lib.presets) {
    for (const PresetShell& s : p.shells) EXPECT_FALSE(s.layout_note.empty()) << p.id << " " << s.name;
  }
}

TEST(Presets, ShellWithOnlyATotalIsNotGenerated) {
  const Preset& p = bundled().find("telesat_lightspeed_2025");
  EXPECT_EQ(p.total(), 264);
  EXPECT_FALSE(p.can_generate());
  EXPECT_FALSE(p.shells[0].can_generate());
  EXPECT_NE(p.shells[0].layout_note.find("only a total of 156"), std::string::npos)
      << p.shells[0].layout_note;
  EXPECT_NE(p.shells[0].layout_note.find("inclination, planes and satellites per plane are not"),
            std::string::npos)
      << p.shells[0].layout_note;
  try {
    generate(p, kEpoch);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "telesat_lightspeed_2025");
    EXPECT_EQ(e.where().field, "Lightspeed shell 1");
    EXPECT_STREQ(e.what(),
                 "telesat_lightspeed_2025: Lightspeed shell 1: only a total of 156 satellites at 1335 km "
                 "is published; its inclination, planes and satellites per plane are not, so it cannot be "
                 "generated");
  }
}

TEST(Presets, FindIsCaseAndSeparatorInsensitive) {
  EXPECT_EQ(bundled().find("Starlink-Gen1").id, "starlink_gen1");
  EXPECT_EQ(bundled().find("KUIPER").id, "kuiper");
  try {
    (void)bundled().find("globalstar");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("\"globalstar\""), std::string::npos) << m;
    EXPECT_NE(m.find("iridium_next"), std::string::npos) << m;  // lists the known ids
  }
}

TEST(Presets, GenerateOptionsFirstId) {
  const GeneratedConstellation c =
      generate(bundled().find("iridium_next"), kEpoch, {.first_norad_id = 330000});
  EXPECT_EQ(c.sets.front().norad_id, 330000u);
  EXPECT_EQ(c.sets.front().name, "IRIDIUM_NEXT-0-0-00");
  EXPECT_EQ(c.sets.back().name, "IRIDIUM_NEXT-0-5-10");
  EXPECT_EQ(c.sets.back().inclination_deg, 86.4);
}

// ---- malformed files: every problem located by file and field path (and line for syntax errors) ----

std::string shells_file(const std::string& shell_fields, const std::string& extra = "") {
  return R"({"sources": {"s": {"repo": "example/repo"}}, "constellations": [{"id": "x", "system": "X",)" +
         extra + R"( "shells": [{"name": "A", )" + shell_fields + R"(, "sources": ["s"]}]}]})";
}

SourceLocation error_of(const std::string& text) {
  try {
    (void)parse_presets(text, "shells.json");
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "shells.json");
    return e.where();
  }
  ADD_FAILURE() << "no error for " << text;
  return {};
}

TEST(PresetsBadFile, LocatedErrors) {
  const std::string good =
      R"("altitude_km": 550, "inclination_deg": 53, "planes": 2, "sats_per_plane": 3, "total": 6)";
  EXPECT_NO_THROW((void)parse_presets(shells_file(good), "shells.json"));

  EXPECT_EQ(
      error_of(shells_file(R"("inclination_deg": 53, "planes": 2, "sats_per_plane": 3, "total": 6)")).field,
      "constellations[0].shells[0].altitude_km");
  EXPECT_EQ(
      error_of(shells_file(R"("altitude_km": "550", "planes": 2, "sats_per_plane": 3, "total": 6)")).field,
      "constellations[0].shells[0].altitude_km");
  EXPECT_EQ(error_of(shells_file(R"("altitude_km": 5, "planes": 2, "sats_per_plane": 3, "total": 6)")).field,
            "constellations[0].shells[0].altitude_km");
  EXPECT_EQ(error_of(shells_file(R"("altitude_km": 550, "inclination_deg": 200, "total": 6)")).field,
            "constellations[0].shells[0].inclination_deg");
  EXPECT_EQ(
      error_of(shells_file(R"("altitude_km": 550, "planes": 2.5, "sats_per_plane": 3, "total": 6)")).field,
      "constellations[0].shells[0].planes");
  EXPECT_EQ(
      error_of(shells_file(R"("altitude_km": 550, "planes": 0, "sats_per_plane": 3, "total": 6)")).field,
      "constellations[0].shells[0].planes");
  EXPECT_EQ(error_of(shells_file(R"("altitude_km": 550, "planes": 2, "sats_per_plane": 3)")).field,
            "constellations[0].shells[0].total");
  EXPECT_EQ(
      error_of(shells_file(R"("altitude_km": 550, "planes": 2, "sats_per_plane": 3, "total": 7)")).field,
      "constellations[0].shells[0].total");
  EXPECT_EQ(error_of(shells_file(good + R"(, "walker_F": 2)")).field, "constellations[0].shells[0].walker_F");
  EXPECT_EQ(error_of(shells_file(good + R"(, "raan_spacing_deg": 400)")).field,
            "constellations[0].shells[0].raan_spacing_deg");
  EXPECT_EQ(error_of(shells_file(good + R"(, "interplane_phase_deg": 7)")).field,
            "constellations[0].shells[0].interplane_phase_deg");
  EXPECT_EQ(error_of(shells_file(good, R"( "filing": 5,)")).field, "constellations[0].filing");
  // A source key that the "sources" object does not define.
  EXPECT_EQ(error_of(R"({"sources": {}, "constellations": [{"id": "x", "system": "X", "shells": [{"name": "A",
      "altitude_km": 550, "total": 6, "sources": ["nope"]}]}]})")
                .field,
            "constellations[0].shells[0].sources[0]");
  // Structure.
  EXPECT_EQ(error_of(R"([1, 2])").field, "");
  EXPECT_EQ(error_of(R"({"sources": {}})").field, "constellations");
  EXPECT_EQ(error_of(R"({"sources": [], "constellations": []})").field, "sources");
  EXPECT_EQ(error_of(R"({"sources": {"s": {"license": "x"}}, "constellations": []})").field, "sources.s");
  EXPECT_EQ(
      error_of(R"({"sources": {}, "constellations": [{"id": "x", "system": "X", "shells": []}]})").field,
      "constellations[0].shells");
  EXPECT_EQ(
      error_of(R"({"sources": {}, "constellations": [{"id": "Bad Id", "system": "X", "shells": []}]})").field,
      "constellations[0].id");
  const std::string one =
      R"({"id": "x", "system": "X", "shells": [{"name": "A", "altitude_km": 550, "total": 6}]})";
  EXPECT_EQ(error_of(R"({"sources": {}, "constellations": [)" + one + "," + one + "]}").field,
            "constellations[1].id");
}

TEST(PresetsBadFile, MessagesSayWhatWasExpectedAndFound) {
  try {
    (void)parse_presets(shells_file(R"("altitude_km": 550, "planes": 2, "sats_per_plane": 3, "total": 7)"),
                        "f.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "f.json: constellations[0].shells[0].total: expected planes x sats_per_plane = 2 x 3 = 6, "
                 "found 7");
  }
}

TEST(PresetsBadFile, SyntaxErrorHasItsLine) {
  const std::string path = std::string(SKYFENCE_TEST_DATA_DIR) + "/orbits/const_bad_syntax.json";
  try {
    (void)load_presets(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, path);
    EXPECT_EQ(e.where().line, 11);  // the ']' after a trailing comma
    EXPECT_NE(std::string(e.what()).find("expected valid JSON"), std::string::npos) << e.what();
  }
  try {
    (void)load_presets(std::string(SKYFENCE_TEST_DATA_DIR) + "/orbits/const_bad_value.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "constellations[0].shells[1].planes");
    EXPECT_NE(std::string(e.what()).find("found \"two\""), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)load_presets(std::string(SKYFENCE_TEST_DATA_DIR) + "/orbits/no_such_file.json"),
               InputError);
  EXPECT_THROW((void)parse_presets("", "empty.json"), InputError);
  EXPECT_THROW((void)parse_presets("{\"sources\": {}, \"constellations\": [", "cut.json"), InputError);
}

// Rules for shells without published layout fields, on a small file.
TEST(PresetsLayoutRules, DefaultsWhenNothingIsPublished) {
  const PresetLibrary lib = parse_presets(
      R"({"sources": {"s": {"url": "https://example.org"}}, "constellations": [{"id": "demo", "system": "Demo",
      "shells": [
        {"name": "polar", "altitude_km": 800, "inclination_deg": 88, "planes": 4, "sats_per_plane": 5, "total": 20},
        {"name": "inclined", "altitude_km": 800, "inclination_deg": 60, "planes": 4, "sats_per_plane": 5, "total": 20},
        {"name": "stated delta", "altitude_km": 800, "inclination_deg": 88, "planes": 4, "sats_per_plane": 5,
         "total": 20, "raan_spacing_deg": 90},
        {"name": "phase", "altitude_km": 800, "inclination_deg": 60, "planes": 4, "sats_per_plane": 5, "total": 20,
         "interplane_phase_deg": 54},
        {"name": "partial", "altitude_km": 800, "inclination_deg": 60, "planes": 4, "sats_per_plane": null,
         "total": 20}]}]})",
      "demo.json");
  const Preset& p = lib.find("demo");
  EXPECT_EQ(p.shells[0].layout->pattern, WalkerPattern::star);
  EXPECT_EQ(p.shells[0].layout->phasing, 0);
  EXPECT_NE(p.shells[0].layout_note.find("F=0 (no source"), std::string::npos) << p.shells[0].layout_note;
  EXPECT_EQ(p.shells[1].layout->pattern, WalkerPattern::delta);
  EXPECT_EQ(p.shells[2].layout->pattern, WalkerPattern::delta);
  EXPECT_EQ(p.shells[3].layout->phasing, 3);  // 54 deg = 3 x 360/20
  EXPECT_FALSE(p.shells[4].can_generate());
  EXPECT_NE(p.shells[4].layout_note.find("satellites per plane is not"), std::string::npos)
      << p.shells[4].layout_note;
  EXPECT_EQ(p.total(), 100);
  EXPECT_THROW(generate(p, kEpoch), InputError);
}

}  // namespace
}  // namespace skyfence::orbits
