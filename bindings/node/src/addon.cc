// addon.cc - the Node-API addon (node-addon-api) over the runtime's C API: tables, principals and
// decisions by name. index.js is the public module and gives this addon its error classes.
#include "lattice_binding.hpp"
#include "list_filter_binding.hpp"
#include "who_can_binding.hpp"

#include <memory>
#include <napi.h>
#include <optional>
#include <string>

namespace {

using lattice::binding::Category;

// Per environment (main thread or worker): the classes of this addon, and the error classes of
// index.js (LoadError, UnknownNameError), which it hands over once through setErrorClasses.
struct AddonData {
  Napi::FunctionReference table, principal, customRoles;
  Napi::FunctionReference load, unknownName, customRole;
  Napi::Reference<Napi::Uint32Array> decision; // exported to index.js as `decision`
  uint32_t *out = nullptr;                     // its four numbers (writeDecision)
};

AddonData &addonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Type tags: Node-API does not check what a wrapped object is, so a method called on another
// object (`Table.prototype.decide.call(principal)`) is refused before it reads anything.
constexpr napi_type_tag kTableTag = {0x6c61747469636521ULL, 0x5461626c65000001ULL};
constexpr napi_type_tag kPrincipalTag = {0x6c61747469636521ULL, 0x5072696e63000002ULL};
constexpr napi_type_tag kCustomRolesTag = {0x6c61747469636521ULL, 0x437573746f000003ULL};

bool tagged(const Napi::Value &v, const napi_type_tag &tag) {
  return v.IsObject() && v.As<Napi::Object>().CheckTypeTag(&tag);
}

void expectThis(const Napi::CallbackInfo &info, const napi_type_tag &tag, const char *what) {
  if (!tagged(info.This(), tag))
    throw Napi::TypeError::New(info.Env(), std::string("not a lattice ") + what);
}

[[noreturn]] void throwLoadError(Napi::Env env, lattice_load_status status,
                                 const std::string &what) {
  std::string message = what + ": " + lattice_load_status_message(status);
  Napi::Object error =
      addonData(env).load.New({Napi::String::New(env, message),
                               Napi::String::New(env, lattice::binding::loadStatusName(status))});
  throw Napi::Error(env, error);
}

// Runs `body`, turning the shared layer's errors into JavaScript errors.
template <typename F> auto translated(Napi::Env env, F body) -> decltype(body()) {
  try {
    return body();
  } catch (const lattice::binding::UnknownName &e) {
    Napi::Object error = addonData(env).unknownName.New(
        {Napi::String::New(env, e.what()),
         Napi::String::New(env, lattice::binding::categoryName(e.category)),
         Napi::String::New(env, e.name)});
    throw Napi::Error(env, error);
  } catch (const lattice::binding::CustomRoleRefused &e) {
    Napi::Object error = addonData(env).customRole.New(
        {Napi::String::New(env, e.what()), Napi::String::New(env, e.statusWord()),
         e.role.empty() ? env.Null() : Napi::String::New(env, e.role),
         Napi::String::New(env, e.ceiling),
         e.permission.empty() ? env.Null() : Napi::String::New(env, e.permission)});
    throw Napi::Error(env, error);
  } catch (const lattice::binding::InvalidArgument &e) {
    throw Napi::RangeError::New(env, e.what());
  }
}

std::string stringArg(const Napi::Value &v, const char *what) {
  if (!v.IsString())
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Array arrayArg(const Napi::Value &v, const char *what) {
  if (!v.IsArray())
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be an array");
  return v.As<Napi::Array>();
}

// Names (views into the table or the answer) as a JavaScript array of strings.
Napi::Array stringArray(Napi::Env env, const std::vector<std::string_view> &list) {
  Napi::Array out = Napi::Array::New(env, list.size());
  for (uint32_t i = 0; i < list.size(); ++i)
    out.Set(i, Napi::String::New(env, list[i].data(), list[i].size()));
  return out;
}

// An optional array member of an options object (undefined counts as empty).
std::optional<Napi::Array> optionalArray(const Napi::Object &o, const char *key) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull())
    return std::nullopt;
  return arrayArg(v, key);
}

// One path segment: a non-negative safe integer, a bigint below 2^63, or a string.
template <typename Number, typename Text>
void segment(const Napi::Value &v, Number number, Text text) {
  if (v.IsString()) {
    text(v.As<Napi::String>().Utf8Value());
    return;
  }
  if (v.IsBigInt()) {
    bool lossless = false;
    uint64_t n = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless)
      throw lattice::binding::InvalidArgument(
          "a node id must be a non-negative integer below 2^63");
    number(n);
    return;
  }
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= 9007199254740991.0 && d == double(int64_t(d))))
      throw lattice::binding::InvalidArgument(
          "a node id must be a non-negative safe integer (or a bigint or a string)");
    number(uint64_t(d));
    return;
  }
  throw Napi::TypeError::New(v.Env(), "a node path segment must be a number, bigint or string");
}

// A decision goes back through the four numbers of AddonData::out (allowed, reason, deciding
// role id, deciding membership; LATTICE_NO_ID for none), which index.js reads and words with the
// table's names: a JavaScript object built by Node-API calls would cost several times the
// decision.
Napi::Value writeDecision(Napi::Env env, const lattice_access_decision &d) {
  uint32_t *out = addonData(env).out;
  out[0] = d.allowed ? 1 : 0;
  out[1] = d.reason;
  out[2] = d.deciding_role;
  out[3] = d.deciding_membership;
  return env.Undefined();
}

std::unique_ptr<lattice::binding::Principal>
buildPrincipal(const lattice::binding::Table &table, const Napi::Object &spec,
               lattice::binding::Principal::Handle make,
               const lattice::binding::CustomRoles *custom = nullptr) {
  auto p = std::make_unique<lattice::binding::Principal>(table, custom);
  p->setKind(stringArg(spec.Get("kind"), "kind"));
  if (auto flags = optionalArray(spec, "flags"))
    for (uint32_t i = 0; i < flags->Length(); ++i)
      p->addFlag(stringArg(flags->Get(i), "a flag"));
  Napi::Array memberships = arrayArg(spec.Get("memberships"), "memberships");
  for (uint32_t i = 0; i < memberships.Length(); ++i) {
    Napi::Value mv = memberships.Get(i);
    if (!mv.IsObject())
      throw Napi::TypeError::New(spec.Env(), "a membership must be an object {node, roles}");
    Napi::Object m = mv.As<Napi::Object>();
    p->beginMembership();
    Napi::Array node = arrayArg(m.Get("node"), "a membership's node");
    for (uint32_t j = 0; j < node.Length(); ++j)
      segment(
          node.Get(j), [&](uint64_t n) { p->addNodeNumber(n); },
          [&](const std::string &s) { p->addNodeString(s); });
    Napi::Array roles = arrayArg(m.Get("roles"), "a membership's roles");
    for (uint32_t j = 0; j < roles.Length(); ++j)
      p->addRole(stringArg(roles.Get(j), "a role"));
    if (auto nodeFlags = optionalArray(m, "nodeFlags"))
      for (uint32_t j = 0; j < nodeFlags->Length(); ++j)
        p->addNodeFlag(stringArg(nodeFlags->Get(j), "a node flag"));
  }
  p->finish(make);
  return p;
}

// A target path's segments (numbers, bigints or strings) into `t`.
void readTarget(lattice::binding::Principal::Target &t, const Napi::Value &target) {
  Napi::Array path = arrayArg(target, "target");
  for (uint32_t i = 0; i < path.Length(); ++i)
    segment(
        path.Get(i), [&](uint64_t n) { t.addNumber(n); },
        [&](const std::string &s) { t.addString(s); });
}

// The request's facts by name (`resource.archived`, ...) as the table's bits: undefined is none.
uint64_t factBitsArg(const lattice::binding::Table &table, const Napi::Value &facts) {
  std::vector<std::string> names;
  if (!facts.IsUndefined()) {
    Napi::Array list = arrayArg(facts, "facts");
    for (uint32_t i = 0; i < list.Length(); ++i)
      names.push_back(stringArg(list.Get(i), "a fact"));
  }
  return lattice::binding::factBits(table, names);
}

// The principal's decision for a permission (a name, or an id index.js resolved against the same
// table) on a target path.
Napi::Value decideAs(Napi::Env env, const lattice::binding::Principal &p,
                     const lattice::binding::Table &table, const Napi::Value &permission,
                     const Napi::Value &target, const Napi::Value &facts) {
  lattice::binding::Principal::Target t(p);
  readTarget(t, target);
  const uint64_t bits = factBitsArg(table, facts);
  if (permission.IsNumber())
    return writeDecision(env, p.decide(permission.As<Napi::Number>().Uint32Value(), t, bits));
  return writeDecision(env, p.decide(stringArg(permission, "permission"), t, bits));
}

// Every permission the principal is allowed on a target path with the request's facts, as an
// array of names in declaration order (lattice_what_can_as through the principal's handle).
Napi::Value whatCanOf(Napi::Env env, const lattice::binding::Principal &p,
                      const lattice::binding::Table &table, const Napi::Value &target,
                      const Napi::Value &facts) {
  lattice::binding::Principal::Target t(p);
  readTarget(t, target);
  return stringArray(env, p.whatCan(t, factBitsArg(table, facts)));
}

std::vector<uint32_t> roleIds(const lattice::binding::Table &table, const Napi::Value &v) {
  Napi::Array roles = arrayArg(v, "roles");
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < roles.Length(); ++i)
    ids.push_back(
        lattice::binding::resolve(table, Category::Role, stringArg(roles.Get(i), "a role")));
  return ids;
}

// The flag word of flag names of either side (decideAt, canAssign: one node, one word).
uint64_t flagMask(const lattice::binding::Table &table, const Napi::Array &names) {
  uint64_t mask = 0;
  for (uint32_t i = 0; i < names.Length(); ++i)
    mask |= lattice::binding::flagBit(table, stringArg(names.Get(i), "a flag"));
  return mask;
}

class Principal;
class CustomRoles;
const lattice::binding::CustomRoles *customOf(const lattice::binding::Table &table,
                                              const Napi::Object &spec);

class Table : public Napi::ObjectWrap<Table> {
public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(
        env, "Table",
        {StaticMethod<&Table::loadFile>("loadFile"), StaticMethod<&Table::fromBuffer>("fromBuffer"),
         InstanceAccessor<&Table::policyName>("policyName"),
         InstanceAccessor<&Table::fingerprint>("fingerprint"),
         InstanceAccessor<&Table::revision>("revision"),
         InstanceAccessor<&Table::names<Category::Kind>>("kinds"),
         InstanceAccessor<&Table::names<Category::Role>>("roles"),
         InstanceAccessor<&Table::names<Category::Permission>>("permissions"),
         InstanceAccessor<&Table::names<Category::Flag>>("flags"),
         InstanceMethod<&Table::decide>("_decide"), InstanceMethod<&Table::decideAt>("_decideAt"),
         InstanceMethod<&Table::principal>("_principal"),
         InstanceMethod<&Table::canAssign>("canAssign"), InstanceMethod<&Table::whoCan>("whoCan"),
         InstanceAccessor<&Table::ceilings>("ceilings"),
         InstanceMethod<&Table::ceilingKinds>("ceilingKinds"),
         InstanceMethod<&Table::ceilingReach>("ceilingReach"),
         InstanceMethod<&Table::canCreate>("canCreate")});
  }

  explicit Table(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Table>(info) {
    // Only loadFile and fromBuffer make tables: they pass the loaded table as an External.
    if (info.Length() != 1 || !info[0].IsExternal())
      throw Napi::TypeError::New(info.Env(), "use Table.loadFile or Table.fromBuffer");
    table = std::move(*info[0].As<Napi::External<Loaded>>().Data());
    info.This().As<Napi::Object>().TypeTag(&kTableTag);
  }

  const lattice::binding::Table &get() const { return *table; }

private:
  friend class Principal;
  using Loaded = std::unique_ptr<lattice::binding::Table>;

  static Napi::Value construct(Napi::Env env, Loaded &loaded) {
    return addonData(env).table.New({Napi::External<Loaded>::New(env, &loaded)});
  }

  static Napi::Value loadFile(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::string path = stringArg(info[0], "path");
    size_t max = LATTICE_DEFAULT_MAX_TABLE_BYTES;
    if (info.Length() > 1 && info[1].IsObject()) {
      Napi::Value m = info[1].As<Napi::Object>().Get("maxBytes");
      if (!m.IsUndefined()) {
        if (!m.IsNumber() || m.As<Napi::Number>().DoubleValue() < 0)
          throw Napi::TypeError::New(env, "maxBytes must be a non-negative number");
        max = size_t(m.As<Napi::Number>().DoubleValue());
      }
    }
    lattice_load_status status = LATTICE_LOAD_OK;
    Loaded loaded = lattice::binding::Table::loadFile(path, max, &status);
    if (!loaded)
      throwLoadError(env, status, "cannot load table `" + path + "`");
    return construct(env, loaded);
  }

  static Napi::Value fromBuffer(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray() && !info[0].IsArrayBuffer())
      throw Napi::TypeError::New(env, "fromBuffer takes a Buffer, Uint8Array or ArrayBuffer");
    const void *data;
    size_t size;
    if (info[0].IsArrayBuffer()) {
      Napi::ArrayBuffer b = info[0].As<Napi::ArrayBuffer>();
      data = b.Data();
      size = b.ByteLength();
    } else {
      Napi::TypedArray a = info[0].As<Napi::TypedArray>();
      data = static_cast<const char *>(a.ArrayBuffer().Data()) + a.ByteOffset();
      size = a.ByteLength();
    }
    lattice_load_status status = LATTICE_LOAD_OK;
    Loaded loaded = lattice::binding::Table::fromBytes(data, size, &status);
    if (!loaded)
      throwLoadError(env, status, "cannot load table from bytes");
    return construct(env, loaded);
  }

  Napi::Value policyName(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    std::string_view n = table->policyName();
    return Napi::String::New(info.Env(), n.data(), n.size());
  }

  Napi::Value fingerprint(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    return Napi::BigInt::New(info.Env(), table->fingerprint());
  }

  Napi::Value revision(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    std::string_view r = table->revision();
    return Napi::String::New(info.Env(), r.data(), r.size());
  }

  template <Category C> Napi::Value names(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    return stringArray(info.Env(), lattice::binding::names(*table, C));
  }

  Napi::Value decide(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    Napi::Env env = info.Env();
    if (!info[0].IsObject())
      throw Napi::TypeError::New(env, "decide takes {kind, memberships, permission, target}");
    Napi::Object spec = info[0].As<Napi::Object>();
    return translated(env, [&] {
      auto p = buildPrincipal(*table, spec, lattice::binding::Principal::Handle::None,
                              customOf(*table, spec));
      return decideAs(env, *p, *table, spec.Get("permission"), spec.Get("target"),
                      spec.Get("facts"));
    });
  }

  Napi::Value decideAt(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    Napi::Env env = info.Env();
    if (!info[0].IsObject())
      throw Napi::TypeError::New(env, "decideAt takes {kind, roles, permission, relation}");
    Napi::Object spec = info[0].As<Napi::Object>();
    return translated(env, [&]() -> Napi::Value {
      const lattice::binding::Table &t = *table;
      uint32_t kind =
          lattice::binding::resolve(t, Category::Kind, stringArg(spec.Get("kind"), "kind"));
      std::vector<uint32_t> roles = roleIds(t, spec.Get("roles"));
      uint32_t permission = lattice::binding::resolve(
          t, Category::Permission, stringArg(spec.Get("permission"), "permission"));
      Napi::Value rel = spec.Get("relation");
      lattice_relation relation =
          rel.IsUndefined() ? LATTICE_REL_SAME
                            : lattice::binding::relationFromName(stringArg(rel, "relation"));
      std::optional<Napi::Array> list = optionalArray(spec, "flags");
      uint64_t flags = list ? flagMask(t, *list) : 0;
      return writeDecision(env,
                           lattice::binding::decideAt(t, kind, roles, permission, relation, flags));
    });
  }

  // {permission, relation?, flags?} -> {roles, ceilings, userTypes}: lattice_who_can by names.
  Napi::Value whoCan(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    Napi::Env env = info.Env();
    if (!info[0].IsObject())
      throw Napi::TypeError::New(env, "whoCan takes {permission, relation, flags}");
    Napi::Object spec = info[0].As<Napi::Object>();
    return translated(env, [&]() -> Napi::Value {
      Napi::Value rel = spec.Get("relation");
      const std::string relation = rel.IsUndefined() ? "self" : stringArg(rel, "relation");
      std::vector<std::string> flags;
      if (std::optional<Napi::Array> list = optionalArray(spec, "flags"))
        for (uint32_t i = 0; i < list->Length(); ++i)
          flags.push_back(stringArg(list->Get(i), "a flag"));
      const auto answer = lattice::binding::whoCan(
          *table, stringArg(spec.Get("permission"), "permission"), relation, flags);
      Napi::Object out = Napi::Object::New(env);
      out.Set("roles", stringArray(env, answer.roles));
      out.Set("ceilings", stringArray(env, answer.ceilings));
      out.Set("userTypes", stringArray(env, answer.userTypes));
      return out;
    });
  }

  Napi::Value canAssign(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    Napi::Env env = info.Env();
    return translated(env, [&]() -> Napi::Value {
      std::vector<uint32_t> roles = roleIds(*table, info[0]);
      uint32_t target =
          lattice::binding::resolve(*table, Category::Role, stringArg(info[1], "target"));
      // The assigner's flags (its own and its node's), which a conditional `assigns` reads.
      if (info.Length() < 3 || info[2].IsUndefined())
        return Napi::Boolean::New(env, lattice::binding::canAssign(*table, roles, target));
      if (!info[2].IsArray())
        throw Napi::TypeError::New(env, "canAssign's flags are an array of flag names");
      uint64_t flags = flagMask(*table, info[2].As<Napi::Array>());
      return Napi::Boolean::New(env, lattice::binding::canAssign(*table, roles, target, &flags));
    });
  }

  Napi::Value principal(const Napi::CallbackInfo &info);

  // Custom roles: the table's ceilings, and who may create roles of them.
  Napi::Value ceilings(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    return stringArray(info.Env(), lattice::binding::ceilingNames(*table));
  }
  Napi::Value ceilingKinds(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    return translated(info.Env(), [&]() -> Napi::Value {
      return stringArray(info.Env(),
                         lattice::binding::ceilingKinds(*table, stringArg(info[0], "ceiling")));
    });
  }
  Napi::Value ceilingReach(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    return translated(info.Env(), [&]() -> Napi::Value {
      return reachArray(info.Env(),
                        lattice::binding::ceilingReach(*table, stringArg(info[0], "ceiling"),
                                                       stringArg(info[1], "permission")));
    });
  }
  Napi::Value canCreate(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    return translated(info.Env(), [&]() -> Napi::Value {
      return Napi::Boolean::New(info.Env(),
                                lattice::binding::canCreate(*table, roleIds(*table, info[0]),
                                                            stringArg(info[1], "ceiling")));
    });
  }

public:
  static Napi::Value reachArray(Napi::Env env, uint32_t reach) {
    auto words = lattice::binding::reachWords(reach);
    Napi::Array out = Napi::Array::New(env, words.size());
    for (uint32_t i = 0; i < words.size(); ++i)
      out.Set(i, Napi::String::New(env, words[i]));
    return out;
  }

private:
  std::unique_ptr<lattice::binding::Table> table;
};

// ---- Custom roles (docs/bindings.md, "Custom roles") ----------------------------------------
// A set of custom roles of one table: holds a reference to its Table object (the set borrows the
// table); principals built with it hold a reference to it (their handles borrow the set).
class CustomRoles : public Napi::ObjectWrap<CustomRoles> {
public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(
        env, "CustomRoles",
        {InstanceMethod<&CustomRoles::add>("_add"), InstanceAccessor<&CustomRoles::names>("names"),
         InstanceAccessor<&CustomRoles::size>("size"), InstanceMethod<&CustomRoles::has>("has"),
         InstanceMethod<&CustomRoles::ceilingOf>("ceilingOf"),
         InstanceMethod<&CustomRoles::reach>("reach")});
  }

  explicit CustomRoles(const Napi::CallbackInfo &info) : Napi::ObjectWrap<CustomRoles>(info) {
    if (info.Length() != 1 || !tagged(info[0], kTableTag))
      throw Napi::TypeError::New(info.Env(), "new CustomRoles(table) needs a lattice Table");
    Napi::Object tableObj = info[0].As<Napi::Object>();
    const Table *t = Napi::ObjectWrap<Table>::Unwrap(tableObj);
    info.This().As<Napi::Object>().TypeTag(&kCustomRolesTag);
    owner = Napi::Persistent(tableObj);
    info.This().As<Napi::Object>().DefineProperty(
        Napi::PropertyDescriptor::Value("table", tableObj, napi_enumerable));
    roles = std::make_unique<lattice::binding::CustomRoles>(t->get());
  }

  const lattice::binding::CustomRoles &get() const { return *roles; }

private:
  // add(name, ceiling, {permission: reach} | [[permission, reach], ...]); a reach is a word or an
  // array of words. Returns the name.
  Napi::Value add(const Napi::CallbackInfo &info) {
    expectThis(info, kCustomRolesTag, "CustomRoles");
    Napi::Env env = info.Env();
    return translated(env, [&]() -> Napi::Value {
      std::string name = stringArg(info[0], "name");
      std::string ceiling = stringArg(info[1], "ceiling");
      std::vector<std::pair<std::string, uint32_t>> cells;
      if (info[2].IsArray()) {
        Napi::Array pairs = info[2].As<Napi::Array>();
        for (uint32_t i = 0; i < pairs.Length(); ++i) {
          Napi::Value pair = pairs.Get(i);
          if (!pair.IsArray() || pair.As<Napi::Array>().Length() != 2)
            throw Napi::TypeError::New(env, "each permission is a [permission, reach] pair");
          cells.emplace_back(stringArg(pair.As<Napi::Array>().Get(0u), "a permission"),
                             reachOf(pair.As<Napi::Array>().Get(1u)));
        }
      } else if (info[2].IsObject() && !info[2].IsFunction()) {
        Napi::Object map = info[2].As<Napi::Object>();
        Napi::Array keys = map.GetPropertyNames();
        for (uint32_t i = 0; i < keys.Length(); ++i) {
          std::string permission = stringArg(keys.Get(i), "a permission");
          cells.emplace_back(permission, reachOf(map.Get(permission)));
        }
      } else {
        throw Napi::TypeError::New(
            env, "permissions must be an object {permission: reach} or [permission, reach] pairs");
      }
      roles->add(name, ceiling, cells);
      return Napi::String::New(env, name);
    });
  }

  static uint32_t reachOf(const Napi::Value &v) {
    if (v.IsString())
      return lattice::binding::reachFromWord(v.As<Napi::String>().Utf8Value());
    if (!v.IsArray())
      throw Napi::TypeError::New(v.Env(), "a reach is a word (self, descendants, ancestors, "
                                          "elsewhere, subtree, tenant) or an array of them");
    uint32_t bits = 0; // an empty array: the runtime refuses it (bad_reach), naming the permission
    Napi::Array words = v.As<Napi::Array>();
    for (uint32_t i = 0; i < words.Length(); ++i)
      bits |= lattice::binding::reachFromWord(stringArg(words.Get(i), "a reach word"));
    return bits;
  }

  Napi::Value names(const Napi::CallbackInfo &info) {
    expectThis(info, kCustomRolesTag, "CustomRoles");
    const auto &list = roles->names();
    Napi::Array out = Napi::Array::New(info.Env(), list.size());
    for (uint32_t i = 0; i < list.size(); ++i)
      out.Set(i, Napi::String::New(info.Env(), list[i]));
    return out;
  }
  Napi::Value size(const Napi::CallbackInfo &info) {
    expectThis(info, kCustomRolesTag, "CustomRoles");
    return Napi::Number::New(info.Env(), roles->count());
  }
  Napi::Value has(const Napi::CallbackInfo &info) {
    expectThis(info, kCustomRolesTag, "CustomRoles");
    return Napi::Boolean::New(info.Env(),
                              roles->lookup(stringArg(info[0], "name")) != LATTICE_NO_ID);
  }
  Napi::Value ceilingOf(const Napi::CallbackInfo &info) {
    expectThis(info, kCustomRolesTag, "CustomRoles");
    return translated(info.Env(), [&]() -> Napi::Value {
      std::string_view c = roles->ceilingOf(stringArg(info[0], "name"));
      return Napi::String::New(info.Env(), c.data(), c.size());
    });
  }
  Napi::Value reach(const Napi::CallbackInfo &info) {
    expectThis(info, kCustomRolesTag, "CustomRoles");
    return translated(info.Env(), [&]() -> Napi::Value {
      return Table::reachArray(
          info.Env(), roles->reach(stringArg(info[0], "name"), stringArg(info[1], "permission")));
    });
  }
  Napi::ObjectReference owner;                          // the Table object
  std::unique_ptr<lattice::binding::CustomRoles> roles; // freed before `owner` is released
};

// The `customRoles` member of a request or principal spec: undefined or null for none, else a
// CustomRoles built on this very table.
const lattice::binding::CustomRoles *customOf(const lattice::binding::Table &table,
                                              const Napi::Object &spec) {
  Napi::Value v = spec.Get("customRoles");
  if (v.IsUndefined() || v.IsNull())
    return nullptr;
  if (!tagged(v, kCustomRolesTag))
    throw Napi::TypeError::New(spec.Env(), "customRoles must be a lattice CustomRoles");
  return lattice::binding::checkedCustomRoles(
      table, &Napi::ObjectWrap<CustomRoles>::Unwrap(v.As<Napi::Object>())->get());
}
// ---- end of custom roles --------------------------------------------------------------------

// A principal of one table: holds a reference to its Table object, so the table outlives it and
// its ids are never used with another table.
class Principal : public Napi::ObjectWrap<Principal> {
public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "Principal",
                       {InstanceMethod<&Principal::decide>("_decide"),
                        InstanceMethod<&Principal::whatCan>("whatCan"),
                        InstanceMethod<&Principal::listFilterTerms>("listFilterTerms"),
                        InstanceMethod<&Principal::listFilterSql>("listFilterSql")});
  }

  explicit Principal(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Principal>(info) {
    if (info.Length() != 2 || !info[0].IsObject() || !info[1].IsObject())
      throw Napi::TypeError::New(info.Env(), "use table.principal({kind, memberships})");
    Napi::Object tableObj = info[0].As<Napi::Object>();
    if (!tagged(tableObj, kTableTag))
      throw Napi::TypeError::New(info.Env(), "a principal needs a lattice Table");
    Table *t = Napi::ObjectWrap<Table>::Unwrap(tableObj);
    info.This().As<Napi::Object>().TypeTag(&kPrincipalTag);
    owner = Napi::Persistent(tableObj);
    Napi::Object spec = info[1].As<Napi::Object>();
    principal = translated(info.Env(), [&] {
      const lattice::binding::CustomRoles *custom = customOf(t->get(), spec);
      if (custom)
        customOwner = Napi::Persistent(spec.Get("customRoles").As<Napi::Object>());
      return buildPrincipal(t->get(), spec, lattice::binding::Principal::Handle::Make, custom);
    });
  }

private:
  Napi::Value decide(const Napi::CallbackInfo &info) {
    expectThis(info, kPrincipalTag, "Principal");
    Napi::Env env = info.Env();
    return translated(env, [&] {
      const Table *t = Napi::ObjectWrap<Table>::Unwrap(owner.Value());
      return decideAs(env, *principal, t->get(), info[0], info[1], info[2]);
    });
  }

  Napi::Value whatCan(const Napi::CallbackInfo &info) {
    expectThis(info, kPrincipalTag, "Principal");
    Napi::Env env = info.Env();
    return translated(env, [&] {
      const Table *t = Napi::ObjectWrap<Table>::Unwrap(owner.Value());
      return whatCanOf(env, *principal, t->get(), info[0], info[1]);
    });
  }

  // The principal's list filter (docs/filter-list-endpoint.md) for a permission name and the
  // request's facts by name (absent: none).
  lattice::binding::ListFilter listFilter(const Napi::Value &permission, const Napi::Value &facts) {
    const lattice::binding::Table &t = Napi::ObjectWrap<Table>::Unwrap(owner.Value())->get();
    return lattice::binding::ListFilter(
        *principal,
        lattice::binding::resolve(t, Category::Permission, stringArg(permission, "permission")),
        facts.IsNull() ? 0 : factBitsArg(t, facts)); // null is none here too
  }

  // A path's ids as numbers (bigints beyond 2^53).
  static Napi::Array pathArray(Napi::Env env, const std::vector<uint64_t> &path) {
    Napi::Array out = Napi::Array::New(env, path.size());
    for (uint32_t i = 0; i < path.size(); ++i)
      out.Set(i, path[i] <= 9007199254740991ull
                     ? Napi::Value(Napi::Number::New(env, double(path[i])))
                     : Napi::Value(Napi::BigInt::New(env, path[i])));
    return out;
  }

  // listFilterTerms(permission, facts?): [{kind, node, exclusions}], kind 'node' | 'subtree' |
  // 'below'.
  Napi::Value listFilterTerms(const Napi::CallbackInfo &info) {
    expectThis(info, kPrincipalTag, "Principal");
    Napi::Env env = info.Env();
    return translated(env, [&]() -> Napi::Value {
      const std::vector<lattice::binding::FilterTerm> terms = listFilter(info[0], info[1]).terms();
      Napi::Array out = Napi::Array::New(env, terms.size());
      for (uint32_t i = 0; i < terms.size(); ++i) {
        Napi::Object term = Napi::Object::New(env);
        term.Set("kind", terms[i].kind);
        term.Set("node", pathArray(env, terms[i].node));
        Napi::Array exclusions = Napi::Array::New(env, terms[i].exclusions.size());
        for (uint32_t e = 0; e < terms[i].exclusions.size(); ++e)
          exclusions.Set(e, pathArray(env, terms[i].exclusions[e]));
        term.Set("exclusions", exclusions);
        out.Set(i, term);
      }
      return out;
    });
  }

  // listFilterSql(permission, {dialect, column?, facts?, firstParam?}): {sql, params} with each
  // parameter a Buffer (bind as bytea / BLOB).
  Napi::Value listFilterSql(const Napi::CallbackInfo &info) {
    expectThis(info, kPrincipalTag, "Principal");
    Napi::Env env = info.Env();
    if (!info[1].IsObject())
      throw Napi::TypeError::New(env, "listFilterSql takes (permission, {dialect, column, "
                                      "facts, firstParam})");
    Napi::Object options = info[1].As<Napi::Object>();
    return translated(env, [&]() -> Napi::Value {
      const Napi::Value column = options.Get("column");
      const Napi::Value first = options.Get("firstParam");
      uint32_t firstParam = 1;
      if (!first.IsUndefined()) {
        if (!first.IsNumber() || first.As<Napi::Number>().DoubleValue() < 1 ||
            first.As<Napi::Number>().DoubleValue() > 65535)
          throw lattice::binding::InvalidArgument("firstParam must be a number from 1 to 65535");
        firstParam = first.As<Napi::Number>().Uint32Value();
      }
      const lattice::binding::FilterSql sql =
          listFilter(info[0], options.Get("facts"))
              .sql(stringArg(options.Get("dialect"), "dialect"),
                   column.IsUndefined() ? std::string("node_key") : stringArg(column, "column"),
                   firstParam);
      Napi::Object out = Napi::Object::New(env);
      out.Set("sql", sql.sql);
      Napi::Array params = Napi::Array::New(env, sql.params.size());
      for (uint32_t i = 0; i < sql.params.size(); ++i)
        params.Set(i, Napi::Buffer<uint8_t>::Copy(
                          env, reinterpret_cast<const uint8_t *>(sql.params[i].data()),
                          sql.params[i].size()));
      out.Set("params", params);
      return out;
    });
  }

  Napi::ObjectReference owner;
  Napi::ObjectReference customOwner; // the CustomRoles object its handle borrows, if any
  std::unique_ptr<lattice::binding::Principal> principal; // freed first
};

Napi::Value Table::principal(const Napi::CallbackInfo &info) {
  expectThis(info, kTableTag, "Table");
  if (!info[0].IsObject())
    throw Napi::TypeError::New(info.Env(), "principal takes {kind, memberships, flags}");
  return addonData(info.Env()).principal.New({Value(), info[0]});
}

// relation(node, target): the relation word of two paths.
Napi::Value relation(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  return translated(env, [&]() -> Napi::Value {
    lattice::binding::PathInterner interner;
    std::vector<uint64_t> paths[2];
    for (int i = 0; i < 2; ++i) {
      Napi::Array path = arrayArg(info[i], "a node path");
      for (uint32_t j = 0; j < path.Length(); ++j)
        segment(
            path.Get(j),
            [&](uint64_t n) { paths[i].push_back(lattice::binding::PathInterner::number(n)); },
            [&](const std::string &s) { paths[i].push_back(interner.intern(s)); });
    }
    return Napi::String::New(env, lattice::binding::relationOfPaths(paths[0], paths[1]));
  });
}

void setErrorClasses(const Napi::CallbackInfo &info) {
  if (!info[0].IsFunction() || !info[1].IsFunction() || !info[2].IsFunction())
    throw Napi::TypeError::New(info.Env(),
                               "setErrorClasses(LoadError, UnknownNameError, CustomRoleError)");
  AddonData &data = addonData(info.Env());
  data.load = Napi::Persistent(info[0].As<Napi::Function>());
  data.unknownName = Napi::Persistent(info[1].As<Napi::Function>());
  data.customRole = Napi::Persistent(info[2].As<Napi::Function>());
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto *data = new AddonData();
  env.SetInstanceData(data); // deleted by Node when the environment ends
  Napi::Function table = Table::define(env);
  Napi::Function principal = Principal::define(env);
  data->table = Napi::Persistent(table);
  data->principal = Napi::Persistent(principal);
  Napi::Function customRoles = CustomRoles::define(env);
  data->customRoles = Napi::Persistent(customRoles);
  exports.Set("CustomRoles", customRoles);
  Napi::Uint32Array decision = Napi::Uint32Array::New(env, 4);
  data->out = decision.Data(); // the backing store of a typed array never moves
  data->decision = Napi::Persistent(decision);
  exports.Set("decision", decision);
  // The reason words by number (lattice_binding.hpp), for the decisions index.js builds.
  Napi::Array reasons = Napi::Array::New(env);
  for (uint32_t r = 0; r <= LATTICE_REASON_DENIED_BY_POLICY; ++r)
    reasons.Set(r, Napi::String::New(env, lattice::binding::reasonName(r)));
  exports.Set("reasons", reasons);
  exports.Set("Table", table);
  exports.Set("Principal", principal);
  exports.Set("relation", Napi::Function::New<relation>(env, "relation"));
  exports.Set("setErrorClasses", Napi::Function::New<setErrorClasses>(env, "setErrorClasses"));
  return exports;
}

} // namespace

NODE_API_MODULE(lattice, init)
