#include "checker/values.hpp"

#include "checker/bits.hpp"
#include "checker/eval.hpp"

namespace keel
{

namespace
{

int64_t scalar(const Type* t, const uint64_t* w, size_t pos)
{
  uint64_t raw = bits::get(w, pos, t->bits);
  return t->kind == TypeKind::Range ? static_cast<int64_t>(raw) + t->lo : static_cast<int64_t>(raw);
}

}  // namespace

// Element number idx of a finite type (array keys, set and bag members).
static std::vector<uint64_t> element_bits(const Type* t, uint64_t idx)
{
  std::vector<uint64_t> w((t->bits + 63) / 64 + 1, 0);
  Evaluator::decode_index(t, idx, w.data(), 0);
  return w;
}

static std::string element_text(const Type* t, uint64_t idx)
{
  auto w = element_bits(t, idx);
  return value_text(t, w.data(), 0);
}

static nlohmann::json element_itf(const Type* t, uint64_t idx)
{
  auto w = element_bits(t, idx);
  return value_itf(t, w.data(), 0);
}

std::string value_text(const Type* t, const uint64_t* w, size_t pos)
{
  switch (t->kind)
  {
    case TypeKind::Bool:
      return bits::get(w, pos, 1) ? "true" : "false";
    case TypeKind::Int:
    case TypeKind::Range:
      return std::to_string(scalar(t, w, pos));
    case TypeKind::Enum:
    {
      uint64_t i = bits::get(w, pos, t->bits);
      return i < t->values.size() ? t->values[i] : "?";
    }
    case TypeKind::Record:
    {
      std::string s = "{ ";
      for (size_t i = 0; i < t->fields.size(); ++i)
        s += (i ? ", " : "") + t->fields[i].name + ": " + value_text(t->fields[i].type, w, pos + t->fields[i].offset);
      return s + (t->fields.empty() ? "}" : " }");
    }
    case TypeKind::Array:
    {
      std::string s = "[";
      for (uint64_t k = 0; k < t->key->card; ++k)
      {
        if (k) s += ", ";
        if (t->key->is_scalar()) s += element_text(t->key, k) + " => ";
        s += value_text(t->elem, w, pos + k * t->elem->bits);
      }
      return s + "]";
    }
    case TypeKind::Set:
    {
      std::string s = "{";
      bool first = true;
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        if (!bits::test(w, pos + k)) continue;
        s += first ? "" : ", ";
        first = false;
        s += element_text(t->elem, k);
      }
      return s + "}";
    }
    case TypeKind::Seq:
    {
      uint64_t len = bits::get(w, pos, t->aux_bits);
      std::string s = "[";
      for (uint64_t k = 0; k < len; ++k)
        s += (k ? ", " : "") + value_text(t->elem, w, pos + t->aux_bits + k * t->elem->bits);
      return s + "]";
    }
    case TypeKind::Bag:
    {
      std::string s = "bag{";
      bool first = true;
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        uint64_t c = bits::get(w, pos + k * t->aux_bits, t->aux_bits);
        if (!c) continue;
        s += first ? "" : ", ";
        first = false;
        s += element_text(t->elem, k);
        if (c > 1) s += " x" + std::to_string(c);
      }
      return s + "}";
    }
    case TypeKind::Message:
    {
      uint64_t tag = bits::get(w, pos, t->aux_bits);
      if (tag >= t->variants.size()) return "?";
      const auto& v = t->variants[tag];
      std::string s = v.tag;
      if (v.fields.empty()) return s;
      s += "(";
      for (size_t i = 0; i < v.fields.size(); ++i)
        s += (i ? ", " : "") + value_text(v.fields[i].type, w, pos + t->aux_bits + v.fields[i].offset);
      return s + ")";
    }
  }
  return "?";
}

nlohmann::json value_itf(const Type* t, const uint64_t* w, size_t pos)
{
  using nlohmann::json;
  switch (t->kind)
  {
    case TypeKind::Bool:
      return json(bits::get(w, pos, 1) != 0);
    case TypeKind::Int:
    case TypeKind::Range:
      return json{{"#bigint", std::to_string(scalar(t, w, pos))}};
    case TypeKind::Enum:
      return json(value_text(t, w, pos));
    case TypeKind::Record:
    {
      json o = json::object();
      for (auto& f : t->fields) o[f.name] = value_itf(f.type, w, pos + f.offset);
      return o;
    }
    case TypeKind::Array:
    {
      json pairs = json::array();
      for (uint64_t k = 0; k < t->key->card; ++k)
      {
        json kj = element_itf(t->key, k);
        pairs.push_back(json::array({kj, value_itf(t->elem, w, pos + k * t->elem->bits)}));
      }
      return json{{"#map", pairs}};
    }
    case TypeKind::Set:
    {
      json elems = json::array();
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        if (!bits::test(w, pos + k)) continue;
        elems.push_back(element_itf(t->elem, k));
      }
      return json{{"#set", elems}};
    }
    case TypeKind::Seq:
    {
      json a = json::array();
      uint64_t len = bits::get(w, pos, t->aux_bits);
      for (uint64_t k = 0; k < len; ++k) a.push_back(value_itf(t->elem, w, pos + t->aux_bits + k * t->elem->bits));
      return a;
    }
    case TypeKind::Bag:
    {
      json pairs = json::array();
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        uint64_t c = bits::get(w, pos + k * t->aux_bits, t->aux_bits);
        if (!c) continue;
        json kj = element_itf(t->elem, k);
        pairs.push_back(json::array({kj, json{{"#bigint", std::to_string(c)}}}));
      }
      return json{{"#map", pairs}};
    }
    case TypeKind::Message:
    {
      uint64_t tag = bits::get(w, pos, t->aux_bits);
      json o = json::object();
      if (tag >= t->variants.size()) return o;
      const auto& v = t->variants[tag];
      o["tag"] = v.tag;
      json val = json::object();
      for (auto& f : v.fields) val[f.name] = value_itf(f.type, w, pos + t->aux_bits + f.offset);
      o["value"] = val;
      return o;
    }
  }
  return nullptr;
}

}  // namespace keel

namespace keel
{

namespace
{

bool itf_int(const nlohmann::json& j, int64_t& v)
{
  if (j.is_number_integer())
  {
    v = j.get<int64_t>();
    return true;
  }
  if (j.is_object() && j.contains("#bigint") && j["#bigint"].is_string())
  {
    const std::string s = j["#bigint"].get<std::string>();
    size_t used = 0;
    try
    {
      v = std::stoll(s, &used);
    }
    catch (...)
    {
      return false;
    }
    return used == s.size();
  }
  return false;
}

// The index of an element given as ITF, in its type's enumeration.
bool itf_index(const Type* t, const nlohmann::json& j, uint64_t& idx, std::string& error)
{
  std::vector<uint64_t> tmp((t->bits + 63) / 64 + 1, 0);
  if (!value_from_itf(t, j, tmp.data(), 0, error)) return false;
  idx = Evaluator::index_of(t, tmp.data(), 0);
  return true;
}

}  // namespace

bool value_from_itf(const Type* t, const nlohmann::json& j, uint64_t* w, size_t pos, std::string& error)
{
  auto bad = [&](const std::string& what)
  {
    error = "expected " + what + " for a value of type " + t->name + ", found " + j.dump();
    return false;
  };
  switch (t->kind)
  {
    case TypeKind::Bool:
      if (!j.is_boolean()) return bad("true or false");
      bits::set(w, pos, 1, j.get<bool>() ? 1 : 0);
      return true;
    case TypeKind::Int:
    case TypeKind::Range:
    {
      int64_t v;
      if (!itf_int(j, v)) return bad("an integer ({\"#bigint\": \"N\"})");
      if (t->kind == TypeKind::Range && (v < t->lo || v > t->hi)) return bad("an integer in " + t->name);
      bits::set(w, pos, t->bits,
                t->kind == TypeKind::Range ? static_cast<uint64_t>(v - t->lo) : static_cast<uint64_t>(v));
      return true;
    }
    case TypeKind::Enum:
    {
      if (!j.is_string()) return bad("an enum value (a string)");
      for (size_t i = 0; i < t->values.size(); ++i)
        if (t->values[i] == j.get<std::string>())
        {
          bits::set(w, pos, t->bits, i);
          return true;
        }
      return bad("one of the enum's values");
    }
    case TypeKind::Record:
      if (!j.is_object()) return bad("a record (an object)");
      for (auto& f : t->fields)
      {
        if (!j.contains(f.name)) return bad("a record with field '" + f.name + "'");
        if (!value_from_itf(f.type, j[f.name], w, pos + f.offset, error)) return false;
      }
      return true;
    case TypeKind::Array:
    {
      if (!j.is_object() || !j.contains("#map") || !j["#map"].is_array())
        return bad("a map ({\"#map\": [[key, value], ...]})");
      std::vector<bool> seen(t->key->card, false);
      for (auto& pair : j["#map"])
      {
        if (!pair.is_array() || pair.size() != 2) return bad("[key, value] pairs");
        uint64_t k;
        if (!itf_index(t->key, pair[0], k, error)) return false;
        seen[k] = true;
        if (!value_from_itf(t->elem, pair[1], w, pos + k * t->elem->bits, error)) return false;
      }
      for (bool s : seen)
        if (!s) return bad("a map with every key of " + t->key->name);
      return true;
    }
    case TypeKind::Set:
    {
      if (!j.is_object() || !j.contains("#set") || !j["#set"].is_array()) return bad("a set ({\"#set\": [...]})");
      bits::zero(w, pos, t->bits);
      for (auto& e : j["#set"])
      {
        uint64_t k;
        if (!itf_index(t->elem, e, k, error)) return false;
        bits::put(w, pos + k, true);
      }
      return true;
    }
    case TypeKind::Seq:
    {
      if (!j.is_array()) return bad("a sequence (an array)");
      if (j.size() > t->capacity) return bad("at most " + std::to_string(t->capacity) + " elements");
      bits::zero(w, pos, t->bits);
      bits::set(w, pos, t->aux_bits, j.size());
      for (size_t k = 0; k < j.size(); ++k)
        if (!value_from_itf(t->elem, j[k], w, pos + t->aux_bits + k * t->elem->bits, error)) return false;
      return true;
    }
    case TypeKind::Bag:
    {
      if (!j.is_object() || !j.contains("#map") || !j["#map"].is_array())
        return bad("a bag ({\"#map\": [[message, count], ...]})");
      bits::zero(w, pos, t->bits);
      for (auto& pair : j["#map"])
      {
        int64_t c;
        uint64_t k;
        if (!pair.is_array() || pair.size() != 2 || !itf_int(pair[1], c)) return bad("[message, count] pairs");
        if (c < 0 || c > t->capacity) return bad("counts between 0 and " + std::to_string(t->capacity));
        if (!itf_index(t->elem, pair[0], k, error)) return false;
        bits::set(w, pos + k * t->aux_bits, t->aux_bits, static_cast<uint64_t>(c));
      }
      return true;
    }
    case TypeKind::Message:
    {
      if (!j.is_object() || !j.contains("tag") || !j["tag"].is_string())
        return bad("a message ({\"tag\": ..., \"value\": {...}})");
      int v = t->variant_index(j["tag"].get<std::string>());
      if (v < 0) return bad("a tag of " + t->name);
      bits::zero(w, pos, t->bits);
      bits::set(w, pos, t->aux_bits, static_cast<uint64_t>(v));
      const auto& var = t->variants[v];
      nlohmann::json val = j.contains("value") ? j["value"] : nlohmann::json::object();
      for (auto& f : var.fields)
      {
        if (!val.is_object() || !val.contains(f.name))
          return bad("a " + var.tag + " message with field '" + f.name + "'");
        if (!value_from_itf(f.type, val[f.name], w, pos + t->aux_bits + f.offset, error)) return false;
      }
      return true;
    }
  }
  return bad("a value");
}

}  // namespace keel
