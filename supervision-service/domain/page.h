// A page of a keyset listing: its rows and the token of the next page ("" when it is the last).
#pragma once

#include <string>
#include <vector>

namespace rectify::supervision {

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

}  // namespace rectify::supervision
