// Results as bytes and back, exactly: how the parts of a distributed run (docs/distributed.md, "run")
// travel between processes and machines. Every field of every table is kept bit for bit (numbers as
// their IEEE-754 or integer bytes, times as nanoseconds), so decode(encode(r)) holds what r holds.
//
// The bytes are for the processes of one run, all of the same build: a magic and a format version lead
// them, and bytes of another version (or cut short, or with bytes left over) are refused rather than
// misread. Not a file format: results.sqlite (store.h) is the one to keep.
#pragma once

#include <string>
#include <string_view>

#include "skyfence/report/model.h"

namespace skyfence::report {

// The version of the encoding; bumped whenever a field or table is added to Results.
inline constexpr unsigned kResultsEncodingVersion = 5;

// Results as bytes (little-endian on the machines skyfence runs on). Cost: one pass over the results;
// the bytes are about the size of the results in memory.
[[nodiscard]] std::string encode_results(const Results& results);

// The results encode_results wrote. Throws std::invalid_argument when the bytes are not such an
// encoding of this version (a wrong magic or version, cut short, bytes left over, a size beyond what is
// left). Does not validate() the results: a part of a run need not be whole.
[[nodiscard]] Results decode_results(std::string_view bytes);

}  // namespace skyfence::report
