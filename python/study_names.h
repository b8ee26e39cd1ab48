// How the package's area studies (coverage, capacity) name their arguments in errors and warnings.
#pragma once

#include "skyfence/scenario/study.h"

namespace skyfence::python {

// scenario::StudyNames with the Python arguments' names (level, region, region_file, service_models...).
scenario::StudyNames study_names();

}  // namespace skyfence::python
