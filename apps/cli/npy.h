// NumPy .npy (format version 1.0) header for a C-ordered little-endian float64 array.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace skyfence::cli {

// The magic, version, header length and header dict, padded so the data starts on a 64-byte boundary.
inline std::string npy_header_f8(const std::vector<std::size_t>& shape) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) dict += ",";
    if (i + 1 < shape.size()) dict += " ";
  }
  dict += "), }";
  const std::size_t preamble = 10;                 // magic (6) + version (2) + header length (2)
  std::size_t total = preamble + dict.size() + 1;  // + '\n'
  const std::size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict += '\n';
  const std::size_t hlen = dict.size();
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(hlen & 0xff);
  out += static_cast<char>((hlen >> 8) & 0xff);
  return out + dict;
}

}  // namespace skyfence::cli
