// Terminals that move: a trajectory is a terminal's positions at increasing times, and a fixed site is
// the trajectory of one position. Every command that takes terminals reads them with read_tracks_file,
// so a sites file and a trajectories file are accepted alike.
//
// Between two samples a terminal moves along the great circle at constant speed (spherical linear
// interpolation of the unit normals of the two geodetic positions; altitude linear in time); before its
// first sample and after its last it stays where it was then, at rest. Speeds are ground speeds on the
// sphere of the Earth's mean radius (IUGG R1 = 6371.0088 km): within 0.6 % of the WGS84 geodesic speed
// everywhere (the meridian's radius of curvature ranges from 6335 km at the equator to 6400 km at the
// poles), which is 0.5 km/h at a 90 km/h cap (Trajectory.SpeedMatchesTheGeodesic).
//
// Errors follow docs/rfcs/0002-error-model.md, strictly: every problem of the file is listed at once
// (InputErrors, each with file, line, field and what was expected) and nothing is returned.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/earth/site.h"
#include "skyfence/frames/frames.h"
#include "skyfence/time/instant.h"

namespace skyfence::earth {

// The Earth's mean radius (IUGG R1), km: the sphere of trajectory distances and speeds.
inline constexpr double kMeanEarthRadiusKm = 6371.0088;

struct TrackSample {
  time::Instant time;
  frames::Geodetic location;
};

// One terminal over time.
struct Track {
  std::string id;         // unique within a list; never empty
  std::string name;       // display name; the id when the file gives none
  Attributes attributes;  // the other columns of its first row (CSV) or its properties (GeoJSON)
  // At least one sample; times strictly increasing. A fixed site has one sample (its time is unused).
  std::vector<TrackSample> samples;

  [[nodiscard]] bool moving() const { return samples.size() > 1; }
  // The value of attribute `key`, or nullptr when the terminal has none.
  [[nodiscard]] const std::string* attribute(std::string_view key) const;
  // Where the terminal is at `t` (see the top of this file). Cost: O(log samples).
  [[nodiscard]] frames::Geodetic at(time::Instant t) const;
  // Ground speed at `t`, km/h: the speed of the segment [t_k, t_k+1) holding t; 0 before the first
  // sample, from the last one on, and for a fixed site.
  [[nodiscard]] double speed_kmh(time::Instant t) const;
  // Velocity in ITRF at `t`, km/s: a central difference (0.5 s) of the positions inside the segment
  // [t_k, t_k+1) holding t (one-sided at its ends); 0 where speed_kmh is 0.
  [[nodiscard]] frames::Vec3 velocity_itrf_km_s(time::Instant t) const;
  // The terminal as a site (its id, name and attributes) where it is at `t`, or at its first sample.
  [[nodiscard]] Site site_at(time::Instant t) const { return Site{id, name, at(t), attributes}; }
  [[nodiscard]] Site first_site() const { return Site{id, name, samples.front().location, attributes}; }
};

// A fixed terminal from a site (its id, name, attributes and location).
Track fixed_track(const Site& site);

// The great-circle distance between two positions, km, on the sphere of kMeanEarthRadiusKm (altitude
// ignored).
double ground_distance_km(const frames::Geodetic& a, const frames::Geodetic& b);

struct TrackReadOptions {
  // A segment faster than this is refused as impossible (most often a unit or time-zone mistake).
  // DEFAULT: 1,500 km/h, faster than airliners. REQUIRES: > 0.
  double max_speed_kmh = 1500.0;
  // As SiteReadOptions::name_column.
  std::string name_column;
};

// Reads terminals from `text`; `source` names it in messages.
//
// CSV: the columns of a sites file (earth/site.h: id, lat_deg, lon_deg, optional alt_m and name, the
// rest attributes) plus, for trajectories, `time_utc` (ISO 8601). With `time_utc` a terminal has one
// row per sample; its rows may be interleaved with other terminals' but their times must increase down
// the file, and its attribute columns must not change between its rows (an empty value repeats the
// first row's). Without `time_utc` each row is a fixed site and ids are unique.
//
// GeoJSON: Point features are fixed sites (as read_sites); a LineString feature is a trajectory, with
// `properties.times` an array of ISO 8601 times, one per vertex. Other properties are attributes.
//
// Checks, each reported with its location: everything a sites file is checked for; times that parse
// and strictly increase per terminal; no segment faster than options.max_speed_kmh; consecutive
// samples not antipodal (no great circle); a LineString with as many times as vertices (at least one);
// ids unique (a GeoJSON trajectory is one feature). Throws InputErrors listing every problem.
std::vector<Track> read_tracks(std::string_view text, SiteFormat format, std::string_view source,
                               const TrackReadOptions& options = {});

// Reads a terminals file; the format as read_sites_file decides it. An unreadable file is an InputError.
std::vector<Track> read_tracks_file(const std::string& path, const TrackReadOptions& options = {});

// Whether a terminals file holds trajectories rather than fixed sites: a CSV whose header has a
// time_utc column, or GeoJSON with a LineString. An unreadable file is an InputError.
bool holds_trajectories(const std::string& path);

// Whether any terminal moves.
bool any_moving(std::span<const Track> tracks);

// Every terminal's position at `t`, in order. REQUIRES: out.size() == tracks.size().
void positions_at(std::span<const Track> tracks, time::Instant t, std::span<frames::Geodetic> out);

}  // namespace skyfence::earth
