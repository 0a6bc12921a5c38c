// Printing encoded values: as Keel source text and as ITF JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "spec/types.hpp"

namespace keel
{

std::string value_text(const Type* t, const uint64_t* w, size_t pos);
nlohmann::json value_itf(const Type* t, const uint64_t* w, size_t pos);

}  // namespace keel

namespace keel
{

// The inverse of value_itf: encodes an ITF JSON value of type `t` at
// (w, pos). On a value that does not fit the type, returns false and says why.
bool value_from_itf(const Type* t, const nlohmann::json& j, uint64_t* w, size_t pos, std::string& error);

}  // namespace keel
