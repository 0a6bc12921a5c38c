#include "checker/values.hpp"

#include "checker/bits.hpp"

namespace keel {

namespace {

int64_t scalar(const Type* t, const uint64_t* w, size_t pos)
{
  uint64_t raw = bits::get(w, pos, t->bits);
  return t->kind == TypeKind::Range ? static_cast<int64_t>(raw) + t->lo : static_cast<int64_t>(raw);
}

// Text of element number idx of a finite scalar type (for keys, set members).
std::string element_text(const Type* t, uint64_t idx)
{
  switch (t->kind)
  {
    case TypeKind::Bool: return idx ? "true" : "false";
    case TypeKind::Range: return std::to_string(static_cast<int64_t>(idx) + t->lo);
    case TypeKind::Enum: return idx < t->values.size() ? t->values[idx] : "?";
    default: return std::to_string(idx);
  }
}

}  // namespace

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
      std::vector<uint64_t> tmp((t->elem->bits + 63) / 64 + 1);
      for (uint64_t k = 0; k < t->elem->card; ++k)
      {
        if (!bits::test(w, pos + k)) continue;
        s += first ? "" : ", ";
        first = false;
        if (t->elem->is_scalar())
          s += element_text(t->elem, k);
        else
          s += "#" + std::to_string(k);
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
        s += t->elem->is_scalar() ? element_text(t->elem, k) : "#" + std::to_string(k);
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
      std::vector<uint64_t> key((t->key->bits + 63) / 64 + 1);
      for (uint64_t k = 0; k < t->key->card; ++k)
      {
        json kj;
        if (t->key->kind == TypeKind::Range) kj = json{{"#bigint", std::to_string(static_cast<int64_t>(k) + t->key->lo)}};
        else if (t->key->kind == TypeKind::Bool) kj = json(k != 0);
        else if (t->key->kind == TypeKind::Enum) kj = json(t->key->values[k]);
        else kj = json{{"#bigint", std::to_string(k)}};
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
        if (t->elem->kind == TypeKind::Range) elems.push_back(json{{"#bigint", std::to_string(static_cast<int64_t>(k) + t->elem->lo)}});
        else if (t->elem->kind == TypeKind::Bool) elems.push_back(json(k != 0));
        else if (t->elem->kind == TypeKind::Enum) elems.push_back(json(t->elem->values[k]));
        else elems.push_back(json{{"#bigint", std::to_string(k)}});
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
        json kj;
        if (t->elem->kind == TypeKind::Range) kj = json{{"#bigint", std::to_string(static_cast<int64_t>(k) + t->elem->lo)}};
        else if (t->elem->kind == TypeKind::Enum) kj = json(t->elem->values[k]);
        else kj = json{{"#bigint", std::to_string(k)}};
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
