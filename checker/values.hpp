// Printing encoded values: as Keel source text and as ITF JSON.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "spec/types.hpp"

namespace keel {

std::string value_text(const Type* t, const uint64_t* w, size_t pos);
nlohmann::json value_itf(const Type* t, const uint64_t* w, size_t pos);

}  // namespace keel
