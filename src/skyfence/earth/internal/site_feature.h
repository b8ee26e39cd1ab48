// One GeoJSON feature read as a site, shared by the sites reader and the trajectories reader.
#pragma once

#include <string>
#include <string_view>

#include "skyfence/core/error.h"
#include "skyfence/earth/internal/geojson_text.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth::internal {

// A Feature's id (the feature's "id", else properties.id), name and other properties as attributes,
// and, with `with_location`, its Point geometry as the location. `label` ("features[3]") and `line`
// locate messages; `id_where` receives where the id was found. Throws InputError.
Site read_feature_site(const Json& feature, const std::string& label, int line, std::string_view source,
                       const SiteReadOptions& options, SourceLocation& id_where, bool with_location);

}  // namespace skyfence::earth::internal
