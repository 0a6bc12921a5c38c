#include "checker/values.hpp"

#include "checker/bits.hpp"
#include "checker/eval.hpp"

namespace keel {

namespace {

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
    case TypeKind::Bool: return bits::get(w, pos, 1) ? "true" : "false";
    case TypeKind::Int:
    case TypeKind::Range: return std::to_string(scalar(t, w, pos));
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
    case TypeKind::Bool: return json(bits::get(w, pos, 1) != 0);
    case TypeKind::Int:
    case TypeKind::Range: return json{{"#bigint", std::to_string(scalar(t, w, pos))}};
    case TypeKind::Enum: return json(value_text(t, w, pos));
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
