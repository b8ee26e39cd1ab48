// Trajectories: reading (CSV, GeoJSON), every error located, interpolation along great circles,
// speeds against the WGS84 geodesic.
#include "skyfence/earth/trajectory.h"
#include "skyfence/core/units.h"

#include <gtest/gtest.h>
#include <GeographicLib/Geodesic.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "../../test_seed.h"
#include "skyfence/time/scales.h"

namespace skyfence::earth {
namespace {

time::Instant at(const char* iso) {
  return time::parse_iso8601(iso);
}

std::vector<Track> csv(const std::string& text, const TrackReadOptions& options = {}) {
  return read_tracks(text, SiteFormat::csv, "t.csv", options);
}

// Every message of the InputErrors a read throws, one per line.
std::string errors_of(const std::string& text, SiteFormat format, const TrackReadOptions& options = {}) {
  try {
    read_tracks(text, format, format == SiteFormat::csv ? "t.csv" : "t.geojson", options);
  } catch (const InputErrors& e) {
    std::string out;
    for (const InputError& i : e.issues()) out += std::string(i.what()) + "\n";
    return out;
  } catch (const InputError& e) {
    return std::string(e.what()) + "\n";
  }
  return "";
}

TEST(Trajectory, CsvRowsPerSampleInterleavedWithAttributes) {
  const auto tracks =
      csv("id,time_utc,lat_deg,lon_deg,alt_m,group\n"
          "convoy,2026-04-27T10:00:00Z,50.0,36.0,,friendly\n"
          "boat,2026-04-27T10:00:00Z,46.5,31.0,0,navy\n"
          "convoy,2026-04-27T10:30:00Z,50.1,36.2,100,\n"
          "convoy,2026-04-27T11:00:00Z,50.2,36.4,200,friendly\n");
  ASSERT_EQ(tracks.size(), 2u);
  const Track& c = tracks[0];
  EXPECT_EQ(c.id, "convoy");
  EXPECT_TRUE(c.moving());
  ASSERT_EQ(c.samples.size(), 3u);
  ASSERT_NE(c.attribute("group"), nullptr);
  EXPECT_EQ(*c.attribute("group"), "friendly");
  EXPECT_EQ(c.attribute("time_utc"), nullptr);
  EXPECT_FALSE(tracks[1].moving());
  // At a sample the position is the sample's, exactly.
  const frames::Geodetic p = c.at(at("2026-04-27T10:30:00Z"));
  EXPECT_NEAR(p.lat_rad, 50.1 * kRadPerDeg, 1e-15);
  EXPECT_NEAR(p.lon_rad, 36.2 * kRadPerDeg, 1e-15);
  EXPECT_NEAR(p.alt_km, 0.1, 1e-15);
  // Held at the ends, at rest there.
  EXPECT_DOUBLE_EQ(c.at(at("2026-04-27T09:00:00Z")).lat_rad, 50.0 * kRadPerDeg);
  EXPECT_DOUBLE_EQ(c.at(at("2026-04-27T12:00:00Z")).lat_rad, 50.2 * kRadPerDeg);
  EXPECT_EQ(c.speed_kmh(at("2026-04-27T09:59:59Z")), 0.0);
  EXPECT_EQ(c.speed_kmh(at("2026-04-27T11:00:00Z")), 0.0);
  // Speed: the segment's distance over its duration (half an hour).
  const double d = ground_distance_km(c.samples[0].location, c.samples[1].location);
  EXPECT_DOUBLE_EQ(c.speed_kmh(at("2026-04-27T10:00:00Z")), d / 0.5);
  EXPECT_DOUBLE_EQ(c.speed_kmh(at("2026-04-27T10:29:59Z")), d / 0.5);
  EXPECT_NEAR(d / 0.5, 35.5, 1.0);  // about 17.7 km in 30 min
}

TEST(Trajectory, FixedSitesWithoutATimeColumn) {
  const auto tracks = csv("id,lat_deg,lon_deg\nA,50,30\nB,-10,170\n");
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_FALSE(tracks[0].moving());
  EXPECT_EQ(tracks[1].at(at("2030-01-01")).lon_rad, 170.0 * kRadPerDeg);
  EXPECT_EQ(tracks[1].speed_kmh(at("2030-01-01")), 0.0);
  EXPECT_NE(
      errors_of("id,lat_deg,lon_deg\nA,50,30\nA,51,30\n", SiteFormat::csv)
          .find("t.csv:3: id: expected a unique id (a file without time_utc lists fixed sites), found \"A\" "
                "again (first at line 2)"),
      std::string::npos);
}

TEST(Trajectory, InterpolationFollowsTheGreatCircleAtConstantSpeed) {
  const std::uint64_t seed = skyfence_test::test_seed("interpolation");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lat(-80.0, 80.0), lon(-180.0, 180.0), frac(0.0, 1.0);
  for (int i = 0; i < 200; ++i) {
    const double la = lat(rng), lo = lon(rng);
    // A second point within about 500 km.
    const double lb = std::clamp(la + (frac(rng) - 0.5) * 8.0, -89.0, 89.0);
    double lob = lo + (frac(rng) - 0.5) * 8.0;
    if (lob > 180.0) lob -= 360.0;
    if (lob <= -180.0) lob += 360.0;
    Track t;
    t.id = "x";
    t.samples = {{at("2026-01-01T00:00:00Z"), frames::Geodetic::degrees(la, lo)},
                 {at("2026-01-01T01:00:00Z"), frames::Geodetic::degrees(lb, lob)}};
    const double f = frac(rng);
    const frames::Geodetic p = t.at(at("2026-01-01T00:00:00Z") + time::Duration::seconds(3600.0 * f));
    const double d = ground_distance_km(t.samples[0].location, t.samples[1].location);
    const double da = ground_distance_km(t.samples[0].location, p);
    const double db = ground_distance_km(p, t.samples[1].location);
    SCOPED_TRACE("case " + std::to_string(i));
    EXPECT_NEAR(da, f * d, 1e-6);  // on the great circle (da + db == d) at the share of the time
    EXPECT_NEAR(db, (1.0 - f) * d, 1e-6);
  }
}

TEST(Trajectory, CrossesTheAntimeridianTheShortWay) {
  Track t;
  t.id = "boat";
  t.samples = {{at("2026-01-01T00:00:00Z"), frames::Geodetic::degrees(0.0, 179.5)},
               {at("2026-01-01T02:00:00Z"), frames::Geodetic::degrees(0.0, -179.5)}};
  const frames::Geodetic mid = t.at(at("2026-01-01T01:00:00Z"));
  EXPECT_NEAR(std::abs(mid.lon_rad), std::numbers::pi, 1e-12);
  EXPECT_NEAR(mid.lat_rad, 0.0, 1e-12);
  EXPECT_NEAR(t.speed_kmh(at("2026-01-01T00:30:00Z")), kMeanEarthRadiusKm * kRadPerDeg / 2.0, 1e-9);
}

TEST(Trajectory, SpeedMatchesTheGeodesic) {
  // The spherical distance is within 0.6 % of the WGS84 geodesic (GeographicLib) for short segments
  // anywhere: speeds inherit that bound.
  std::mt19937_64 rng(skyfence_test::test_seed("geodesic"));
  std::uniform_real_distribution<double> lat(-89.0, 89.0), lon(-180.0, 180.0), az(0.0, 360.0),
      len(0.01, 50.0);
  const GeographicLib::Geodesic& geod = GeographicLib::Geodesic::WGS84();
  double worst = 0.0;
  for (int i = 0; i < 2000; ++i) {
    const double la = lat(rng), lo = lon(rng), s_km = len(rng);
    double lb = 0.0, lob = 0.0;
    geod.Direct(la, lo, az(rng), s_km * 1000.0, lb, lob);
    const double d =
        ground_distance_km(frames::Geodetic::degrees(la, lo), frames::Geodetic::degrees(lb, lob));
    worst = std::max(worst, std::abs(d / s_km - 1.0));
  }
  EXPECT_LT(worst, 0.006);
  EXPECT_GT(worst, 0.004);  // the bound is not loose: up to 0.56 % along the meridian at the equator
}

TEST(Trajectory, EveryCsvProblemIsListedWithItsLocation) {
  const std::string text =
      "id,time_utc,lat_deg,lon_deg,group\n"
      "d1,2026-04-27T10:00:00Z,48.0,37.0,hostile\n"
      "d1,2026-04-27T09:59:00Z,48.0,37.1,hostile\n"  // 3: time goes back
      "d2,2026-04-27T10:00:00Z,48.0,37.0,\n"
      "d2,2026-04-27T10:01:00Z,49.0,37.0,\n"          // 5: 111 km in a minute
      "d3,yesterday,48.0,37.0,\n"                     // 6: bad time
      "d1,2026-04-27T10:05:00Z,48.0,37.2,friendly\n"  // 7: group changes
      "d4,,48,37,\n";                                 // 8: empty time
  const std::string e = errors_of(text, SiteFormat::csv);
  EXPECT_NE(e.find("t.csv:3: time_utc: expected a time after the previous sample of terminal \"d1\" "
                   "(2026-04-27T10:00:00.000Z), found 2026-04-27T09:59:00.000Z"),
            std::string::npos)
      << e;
  EXPECT_NE(
      e.find("t.csv:5: lat_deg: expected at most 1500.0 km/h from the previous sample of terminal \"d2\", "
             "found 6671.7 km/h (111.2 km in 1m)"),
      std::string::npos)
      << e;
  EXPECT_NE(e.find("t.csv:6: time_utc: "), std::string::npos) << e;
  EXPECT_NE(e.find("t.csv:7: group: expected the value of terminal \"d1\"'s first row (line 2: \"hostile\"), "
                   "found \"friendly\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("t.csv:8: time_utc: expected an ISO 8601 UTC time, found an empty value"),
            std::string::npos)
      << e;
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 5) << e;
  // The speed limit is an option: a drone's 120 km/h passes the default and fails a 100 km/h limit.
  const std::string drone =
      "id,time_utc,lat_deg,lon_deg\nd,2026-01-01T00:00:00Z,48,37\nd,2026-01-01T00:01:00Z,48.018,37\n";
  EXPECT_EQ(errors_of(drone, SiteFormat::csv), "");
  TrackReadOptions slow;
  slow.max_speed_kmh = 100.0;
  EXPECT_NE(errors_of(drone, SiteFormat::csv, slow).find("expected at most 100.0 km/h"), std::string::npos);
  // Equal times are not increasing; antipodal samples have no great circle.
  EXPECT_NE(errors_of("id,time_utc,lat_deg,lon_deg\na,2026-01-01T00:00:00Z,1,2\na,2026-01-01T00:00:00Z,1,2\n",
                      SiteFormat::csv)
                .find("t.csv:3: time_utc: expected a time after"),
            std::string::npos);
  TrackReadOptions fast;
  fast.max_speed_kmh = 1e9;
  EXPECT_NE(
      errors_of("id,time_utc,lat_deg,lon_deg\na,2026-01-01T00:00:00Z,0,0\na,2026-01-01T01:00:00Z,0,180\n",
                SiteFormat::csv, fast)
          .find("t.csv:3: lat_deg: expected a position not antipodal"),
      std::string::npos);
}

TEST(Trajectory, GeoJsonLineStringsWithTimesAndPoints) {
  const std::string text = R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": "drone-1", "properties": {"group": "hostile",
     "times": ["2026-04-27T10:00:00Z", "2026-04-27T10:10:00Z", "2026-04-27T10:20:00Z"]},
   "geometry": {"type": "LineString", "coordinates": [[37.0, 48.0, 50], [37.2, 48.0, 60], [37.4, 48.1]]}},
  {"type": "Feature", "id": "post", "properties": {"group": "friendly"},
   "geometry": {"type": "Point", "coordinates": [36.5, 49.5]}}
]})";
  const auto tracks = read_tracks(text, SiteFormat::geojson, "t.geojson");
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_TRUE(tracks[0].moving());
  ASSERT_EQ(tracks[0].samples.size(), 3u);
  EXPECT_EQ(tracks[0].attribute("times"), nullptr);
  EXPECT_EQ(*tracks[0].attribute("group"), "hostile");
  EXPECT_NEAR(tracks[0].samples[1].location.alt_km, 0.06, 1e-15);
  EXPECT_EQ(tracks[0].samples[2].time, at("2026-04-27T10:20:00Z"));
  EXPECT_FALSE(tracks[1].moving());
  EXPECT_NEAR(tracks[1].at(at("2026-04-27T10:00:00Z")).lat_rad, 49.5 * kRadPerDeg, 1e-15);

  const std::string bad = R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": "a", "properties": {"times": ["2026-04-27T10:00:00Z"]},
   "geometry": {"type": "LineString", "coordinates": [[37.0, 48.0], [37.2, 48.0]]}},
  {"type": "Feature", "id": "b", "properties": {"times": ["2026-04-27T10:00:00Z", "noon"]},
   "geometry": {"type": "LineString", "coordinates": [[37.0, 48.0], [37.2, 48.0]]}},
  {"type": "Feature", "id": "c", "properties": {"times": ["2026-04-27T10:00:00Z", "2026-04-27T10:00:01Z"]},
   "geometry": {"type": "LineString", "coordinates": [[37.0, 48.0], [37.0, 95.0]]}},
  {"type": "Feature", "id": "d", "properties": {"times": ["2026-04-27T10:00:00Z", "2026-04-27T10:00:01Z"]},
   "geometry": {"type": "LineString", "coordinates": [[37.0, 48.0], [37.2, 48.0]]}},
  {"type": "Feature", "id": "d", "geometry": {"type": "Point", "coordinates": [37.0, 48.0]}}
]})";
  const std::string e = errors_of(bad, SiteFormat::geojson);
  EXPECT_NE(e.find("t.geojson:2: features[0]: properties.times: expected 2 times (one per vertex), found 1"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("t.geojson:4: features[1]: properties.times[1]: "), std::string::npos) << e;
  EXPECT_NE(e.find("t.geojson:6: features[2]: geometry.coordinates[1]: "), std::string::npos) << e;
  EXPECT_NE(e.find("t.geojson:8: features[3]: geometry.coordinates[1]: expected at most 1500.0 km/h"),
            std::string::npos)
      << e;
  EXPECT_NE(
      e.find("t.geojson:10: features[4]: id: expected a unique id, found \"d\" again (first at features[3] "
             "(line 8))"),
      std::string::npos)
      << e;
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 5) << e;
}

TEST(Trajectory, AtRestBetweenSamplesAtOnePlaceIsExactlyThere) {
  // Interpolating between two equal positions rounds (atan2 of a sum of normals); a terminal parked
  // between two samples is exactly where it was, so it gets the results of a site there.
  const auto tracks =
      csv("id,time_utc,lat_deg,lon_deg,alt_m\n"
          "p,2026-01-01T00:00:00Z,48.123456789,37.987654321,120\n"
          "p,2026-01-01T01:00:00Z,48.123456789,37.987654321,120\n"
          "p,2026-01-01T02:00:00Z,48.2,38.1,120\n");
  const frames::Geodetic first = tracks[0].samples[0].location;
  for (const char* t : {"2026-01-01T00:00:01Z", "2026-01-01T00:17:00Z", "2026-01-01T00:59:59Z"}) {
    const frames::Geodetic g = tracks[0].at(at(t));
    EXPECT_EQ(g.lat_rad, first.lat_rad) << t;
    EXPECT_EQ(g.lon_rad, first.lon_rad) << t;
    EXPECT_EQ(g.alt_km, first.alt_km) << t;
    EXPECT_EQ(tracks[0].speed_kmh(at(t)), 0.0) << t;
  }
  EXPECT_NE(tracks[0].at(at("2026-01-01T01:30:00Z")).lat_rad, first.lat_rad);  // moving again
}

TEST(Trajectory, PositionsAtAndAnyMoving) {
  const auto tracks =
      csv("id,time_utc,lat_deg,lon_deg\n"
          "a,2026-01-01T00:00:00Z,10,10\n"
          "a,2026-01-01T01:00:00Z,10,11\n"
          "b,2026-01-01T00:00:00Z,20,20\n");
  EXPECT_TRUE(any_moving(tracks));
  EXPECT_FALSE(any_moving(std::span<const Track>(tracks).subspan(1)));
  std::vector<frames::Geodetic> out(2);
  positions_at(tracks, at("2026-01-01T00:30:00Z"), out);
  EXPECT_NEAR(out[0].lon_rad, 10.5 * kRadPerDeg, 1e-4 * kRadPerDeg);
  EXPECT_EQ(out[1].lat_rad, 20.0 * kRadPerDeg);
  std::vector<frames::Geodetic> wrong(1);
  EXPECT_THROW(positions_at(tracks, at("2026-01-01T00:30:00Z"), wrong), std::invalid_argument);
  const Site s{"S", "Site S", frames::Geodetic::degrees(1.0, 2.0), {{"customer", "civil"}}};
  const Track f = fixed_track(s);
  EXPECT_EQ(f.id, "S");
  EXPECT_EQ(*f.attribute("customer"), "civil");
  EXPECT_FALSE(f.moving());
}

}  // namespace
}  // namespace skyfence::earth
