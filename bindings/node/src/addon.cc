// addon.cc - the Node-API addon (node-addon-api) over the runtime's C API: tables, principals and
// decisions by name. index.js is the public module and gives this addon its error classes.
#include "lattice_binding.hpp"

#include <memory>
#include <napi.h>
#include <optional>
#include <string>

namespace {

using lattice::binding::Category;

// Per environment (main thread or worker): the classes of this addon, and the error classes of
// index.js (LoadError, UnknownNameError), which it hands over once through setErrorClasses.
struct AddonData {
  Napi::FunctionReference table, principal;
  Napi::FunctionReference load, unknownName;
  Napi::Reference<Napi::Uint32Array> decision; // exported to index.js as `decision`
  uint32_t *out = nullptr;                     // its four numbers (writeDecision)
};

AddonData &addonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Type tags: Node-API does not check what a wrapped object is, so a method called on another
// object (`Table.prototype.decide.call(principal)`) is refused before it reads anything.
constexpr napi_type_tag kTableTag = {0x6c61747469636521ULL, 0x5461626c65000001ULL};
constexpr napi_type_tag kPrincipalTag = {0x6c61747469636521ULL, 0x5072696e63000002ULL};

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
               lattice::binding::Principal::Handle make) {
  auto p = std::make_unique<lattice::binding::Principal>(table);
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

// The principal's decision for a permission (a name, or an id index.js resolved against the same
// table) on a target path.
Napi::Value decideAs(Napi::Env env, const lattice::binding::Principal &p,
                     const lattice::binding::Table &table, const Napi::Value &permission,
                     const Napi::Value &target, const Napi::Value &facts) {
  lattice::binding::Principal::Target t(p);
  Napi::Array path = arrayArg(target, "target");
  for (uint32_t i = 0; i < path.Length(); ++i)
    segment(
        path.Get(i), [&](uint64_t n) { t.addNumber(n); },
        [&](const std::string &s) { t.addString(s); });
  // The request's facts by name (`resource.archived`, ...): absent or undefined is none.
  std::vector<std::string> names;
  if (!facts.IsUndefined()) {
    Napi::Array list = arrayArg(facts, "facts");
    for (uint32_t i = 0; i < list.Length(); ++i)
      names.push_back(stringArg(list.Get(i), "a fact"));
  }
  const uint64_t bits = lattice::binding::factBits(table, names);
  if (permission.IsNumber())
    return writeDecision(env, p.decide(permission.As<Napi::Number>().Uint32Value(), t, bits));
  return writeDecision(env, p.decide(stringArg(permission, "permission"), t, bits));
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
         InstanceMethod<&Table::canAssign>("canAssign")});
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
    auto list = lattice::binding::names(*table, C);
    Napi::Array out = Napi::Array::New(info.Env(), list.size());
    for (uint32_t i = 0; i < list.size(); ++i)
      out.Set(i, Napi::String::New(info.Env(), list[i].data(), list[i].size()));
    return out;
  }

  Napi::Value decide(const Napi::CallbackInfo &info) {
    expectThis(info, kTableTag, "Table");
    Napi::Env env = info.Env();
    if (!info[0].IsObject())
      throw Napi::TypeError::New(env, "decide takes {kind, memberships, permission, target}");
    Napi::Object spec = info[0].As<Napi::Object>();
    return translated(env, [&] {
      auto p = buildPrincipal(*table, spec, lattice::binding::Principal::Handle::None);
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

  std::unique_ptr<lattice::binding::Table> table;
};

// A principal of one table: holds a reference to its Table object, so the table outlives it and
// its ids are never used with another table.
class Principal : public Napi::ObjectWrap<Principal> {
public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "Principal", {InstanceMethod<&Principal::decide>("_decide")});
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
    principal = translated(info.Env(), [&] {
      return buildPrincipal(t->get(), info[1].As<Napi::Object>(),
                            lattice::binding::Principal::Handle::Make);
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

  Napi::ObjectReference owner;
  std::unique_ptr<lattice::binding::Principal> principal;
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
  if (!info[0].IsFunction() || !info[1].IsFunction())
    throw Napi::TypeError::New(info.Env(), "setErrorClasses(LoadError, UnknownNameError)");
  AddonData &data = addonData(info.Env());
  data.load = Napi::Persistent(info[0].As<Napi::Function>());
  data.unknownName = Napi::Persistent(info[1].As<Napi::Function>());
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto *data = new AddonData();
  env.SetInstanceData(data); // deleted by Node when the environment ends
  Napi::Function table = Table::define(env);
  Napi::Function principal = Principal::define(env);
  data->table = Napi::Persistent(table);
  data->principal = Napi::Persistent(principal);
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
