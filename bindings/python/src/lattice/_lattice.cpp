// _lattice.cpp - the Python extension (pybind11) over the runtime's C API: tables, principals and
// decisions by name. lattice/__init__.py is the public module; names are resolved per table.
#include "lattice_binding.hpp"
#include "list_filter_binding.hpp"
#include "who_can_binding.hpp"

#include <memory>
#include <optional>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <string>
#include <structmember.h>

namespace py = pybind11;
using lattice::binding::Category;

namespace {

// The module's error classes, created in PYBIND11_MODULE (subclasses of lattice.Error). Handles,
// not objects: the module holds the references, and nothing is released at interpreter exit.
py::handle errorType, loadErrorType, unknownNameType, customRoleErrorType;

[[noreturn]] void throwLoadError(lattice_load_status status, const std::string &what) {
  std::string message = what + ": " + lattice_load_status_message(status);
  py::object error = loadErrorType(message);
  error.attr("status") = lattice::binding::loadStatusName(status);
  error.attr("code") = uint32_t(status);
  PyErr_SetObject(loadErrorType.ptr(), error.ptr());
  throw py::error_already_set();
}

// A loaded table (lattice_binding.hpp; a table loaded from bytes reads its own copy), and its
// role names as Python strings, made once for the decisions that name them.
struct PyTable {
  std::unique_ptr<lattice::binding::Table> table;
  std::vector<py::object> roleNames;
  const lattice::binding::Table &get() const { return *table; }

  explicit PyTable(std::unique_ptr<lattice::binding::Table> loaded) : table(std::move(loaded)) {
    for (std::string_view name : lattice::binding::names(*table, Category::Role))
      roleNames.push_back(py::str(name.data(), name.size()));
  }
};

// lattice.Decision: a small immutable type written against the C API rather than a pybind11
// class, because a request's cost is mostly the result's: it is made with one allocation, and
// its fields are member descriptors (reading `allowed` through a pybind11 property costs as much
// as the decision). bool(decision) is decision.allowed.
struct DecisionObject {
  PyObject_HEAD char allowed;
  PyObject *reason;     // an interned word
  PyObject *role;       // a str, or NULL (read as None)
  PyObject *membership; // an int, or NULL (read as None)
};

PyTypeObject *decisionType = nullptr;
PyObject *reasonWords[LATTICE_REASON_DENIED_BY_POLICY + 1];

void decisionDealloc(PyObject *self) {
  auto *d = reinterpret_cast<DecisionObject *>(self);
  Py_XDECREF(d->reason);
  Py_XDECREF(d->role);
  Py_XDECREF(d->membership);
  PyTypeObject *type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);
}

int decisionBool(PyObject *self) { return reinterpret_cast<DecisionObject *>(self)->allowed; }

PyObject *decisionRepr(PyObject *self) {
  auto *d = reinterpret_cast<DecisionObject *>(self);
  return PyUnicode_FromFormat("Decision(allowed=%s, reason=%R, deciding_role=%R, "
                              "deciding_membership=%R)",
                              d->allowed ? "True" : "False", d->reason, d->role ? d->role : Py_None,
                              d->membership ? d->membership : Py_None);
}

PyMemberDef decisionMembers[] = {
    {"allowed", T_BOOL, offsetof(DecisionObject, allowed), READONLY, "whether it is allowed"},
    {"reason", T_OBJECT, offsetof(DecisionObject, reason), READONLY,
     "why: allowed, denied_by_rule, no_allow, other_tree, requirement, ..."},
    {"deciding_role", T_OBJECT, offsetof(DecisionObject, role), READONLY,
     "the role that allowed or denied, or None"},
    {"deciding_membership", T_OBJECT, offsetof(DecisionObject, membership), READONLY,
     "index of the membership the deciding role was held through, or None"},
    {nullptr, 0, 0, 0, nullptr}};

PyType_Slot decisionSlots[] = {{Py_tp_dealloc, reinterpret_cast<void *>(decisionDealloc)},
                               {Py_nb_bool, reinterpret_cast<void *>(decisionBool)},
                               {Py_tp_repr, reinterpret_cast<void *>(decisionRepr)},
                               {Py_tp_members, decisionMembers},
                               {Py_tp_doc, const_cast<char *>("The outcome of a request")},
                               {0, nullptr}};

PyType_Spec decisionSpec = {"lattice.Decision", sizeof(DecisionObject), 0,
                            Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION, decisionSlots};

py::object toPy(const PyTable &table, const lattice_access_decision &d,
                const lattice::binding::CustomRoles *custom = nullptr) {
  PyObject *o = decisionType->tp_alloc(decisionType, 0);
  if (!o)
    throw py::error_already_set();
  auto *out = reinterpret_cast<DecisionObject *>(o);
  out->allowed = d.allowed != 0;
  PyObject *reason = d.reason <= LATTICE_REASON_DENIED_BY_POLICY
                         ? reasonWords[d.reason]
                         : PyUnicode_InternFromString(lattice::binding::reasonName(d.reason));
  if (d.reason <= LATTICE_REASON_DENIED_BY_POLICY)
    Py_INCREF(reason);
  out->reason = reason;
  if (d.deciding_role < table.roleNames.size()) {
    out->role = table.roleNames[d.deciding_role].inc_ref().ptr();
  } else if (custom && !custom->name(d.deciding_role).empty()) {
    std::string_view name = custom->name(d.deciding_role);
    out->role = PyUnicode_FromStringAndSize(name.data(), Py_ssize_t(name.size()));
    if (!out->role)
      throw py::error_already_set();
  }
  if (d.deciding_membership != LATTICE_NO_ID)
    out->membership = PyLong_FromUnsignedLong(d.deciding_membership);
  py::object result = py::reinterpret_steal<py::object>(o);
  if (!out->reason || (d.deciding_membership != LATTICE_NO_ID && !out->membership))
    throw py::error_already_set();
  return result;
}

// One segment of a node path: a non-negative int or a str.
template <typename Add, typename AddString> void addSegment(py::handle s, Add add, AddString str) {
  if (py::isinstance<py::str>(s)) {
    str(s.cast<std::string>());
    return;
  }
  if (py::isinstance<py::bool_>(s) || !py::isinstance<py::int_>(s))
    throw py::type_error("a node path segment must be an int or a str, not " +
                         std::string(py::str(s.get_type().attr("__name__"))));
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(s.ptr(), &overflow);
  if (overflow != 0) // a negative id in range is refused by PathInterner::number, in these words
    throw lattice::binding::InvalidArgument(
        "a node id must be a non-negative integer below 2^63, not " + std::string(py::str(s)));
  add(int64_t(v));
}

py::sequence asSequence(py::handle h, const char *what) {
  if (py::isinstance<py::str>(h) || py::isinstance<py::bytes>(h) ||
      !py::isinstance<py::sequence>(h))
    throw py::type_error(std::string(what) + " must be a list or tuple");
  return py::reinterpret_borrow<py::sequence>(h);
}

// ---- Custom roles (docs/bindings.md, "Custom roles") ----------------------------------------
// A set of custom roles of one table; keeps its Table object alive (the set borrows it). Declared
// before principals, which keep their set alive (their handles borrow it).
struct PyCustomRoles {
  py::object owner;                                     // the Table object
  const PyTable *table;                                 // the same table, kept alive by `owner`
  std::unique_ptr<lattice::binding::CustomRoles> roles; // freed before `owner` is released
};

// A reach: one word or a sequence of words, their union.
uint32_t reachOf(py::handle reach) {
  if (py::isinstance<py::str>(reach))
    return lattice::binding::reachFromWord(reach.cast<std::string>());
  if (py::isinstance<py::bytes>(reach) || !py::isinstance<py::sequence>(reach))
    throw py::type_error("a reach is a word (self, descendants, ancestors, elsewhere, subtree, "
                         "tenant) or a list of them");
  uint32_t bits = 0;
  for (py::handle w : reach) {
    if (!py::isinstance<py::str>(w))
      throw py::type_error("a reach is a word or a list of words");
    bits |= lattice::binding::reachFromWord(w.cast<std::string>());
  }
  return bits; // 0 for an empty list: the runtime refuses it (bad_reach), naming the permission
}

// The cells of a custom role: a mapping {permission: reach} or (permission, reach) pairs.
std::vector<std::pair<std::string, uint32_t>> cellsOf(py::handle permissions) {
  std::vector<std::pair<std::string, uint32_t>> cells;
  if (py::isinstance<py::dict>(permissions)) {
    for (auto item : py::reinterpret_borrow<py::dict>(permissions))
      cells.emplace_back(item.first.cast<std::string>(), reachOf(item.second));
    return cells;
  }
  if (py::isinstance<py::str>(permissions) || py::isinstance<py::bytes>(permissions) ||
      !py::isinstance<py::sequence>(permissions))
    throw py::type_error("permissions must be a dict {permission: reach} or (permission, reach) "
                         "pairs");
  for (py::handle pair : permissions) {
    if (py::isinstance<py::str>(pair) || !py::isinstance<py::sequence>(pair) || py::len(pair) != 2)
      throw py::type_error("each permission is a (permission, reach) pair");
    auto seq = py::reinterpret_borrow<py::sequence>(pair);
    cells.emplace_back(seq[0].cast<std::string>(), reachOf(seq[1]));
  }
  return cells;
}

py::tuple wordsOf(uint32_t reach) {
  auto words = lattice::binding::reachWords(reach);
  py::tuple out(words.size());
  for (size_t i = 0; i < words.size(); ++i)
    out[i] = py::str(words[i]);
  return out;
}

// The set given to decide/principal, checked to be of this table (None: no custom roles).
const lattice::binding::CustomRoles *customOf(const PyTable &table, py::handle custom) {
  if (custom.is_none())
    return nullptr;
  if (!py::isinstance<PyCustomRoles>(custom))
    throw py::type_error("custom_roles must be a lattice.CustomRoles");
  return lattice::binding::checkedCustomRoles(table.get(),
                                              custom.cast<const PyCustomRoles &>().roles.get());
}
// ---- end of custom roles --------------------------------------------------------------------

// A principal of one table; keeps its table object alive (Python reference) so its ids are
// never used with another table, and its custom role set, which its handle borrows.
struct PyPrincipal {
  py::object owner;                                       // the Table object
  const PyTable *table;                                   // the same table, kept alive by `owner`
  py::object customOwner;                                 // the CustomRoles object, or None
  const lattice::binding::CustomRoles *custom;            // kept alive by `customOwner`, or null
  std::unique_ptr<lattice::binding::Principal> principal; // freed first
};

std::unique_ptr<lattice::binding::Principal>
buildPrincipal(const lattice::binding::Table &table, const std::string &kind,
               py::handle memberships, py::handle flags, lattice::binding::Principal::Handle make,
               const lattice::binding::CustomRoles *custom = nullptr) {
  auto p = std::make_unique<lattice::binding::Principal>(table, custom);
  p->setKind(kind);
  for (py::handle f : asSequence(flags, "flags"))
    p->addFlag(f.cast<std::string>());
  for (py::handle m : asSequence(memberships, "memberships")) {
    // A lattice.Membership, or any (node, roles[, node_flags]) sequence.
    py::sequence parts = asSequence(m, "a membership");
    if (parts.size() < 2 || parts.size() > 3)
      throw py::type_error("a membership is (node, roles) or (node, roles, node_flags)");
    p->beginMembership();
    for (py::handle s : asSequence(parts[0], "a membership's node"))
      addSegment(
          s, [&](int64_t v) { p->addNodeNumber(v); },
          [&](const std::string &v) { p->addNodeString(v); });
    for (py::handle r : asSequence(parts[1], "a membership's roles"))
      p->addRole(r.cast<std::string>());
    if (parts.size() == 3)
      for (py::handle f : asSequence(parts[2], "a membership's node_flags"))
        p->addNodeFlag(f.cast<std::string>());
  }
  p->finish(make);
  return p;
}

// The ids of role names (decide_at, can_assign).
std::vector<uint32_t> roleIds(const lattice::binding::Table &table, py::handle roles) {
  std::vector<uint32_t> ids;
  for (py::handle r : asSequence(roles, "roles"))
    ids.push_back(lattice::binding::resolve(table, Category::Role, r.cast<std::string>()));
  return ids;
}

// The flag word of flag names of either side (decide_at, can_assign: one node, one word).
uint64_t flagMask(const lattice::binding::Table &table, py::handle flags) {
  uint64_t mask = 0;
  for (py::handle f : asSequence(flags, "flags"))
    mask |= lattice::binding::flagBit(table, f.cast<std::string>());
  return mask;
}

py::object decideAs(const PyTable &table, const lattice::binding::Principal &p,
                    const std::string &permission, py::handle target, py::handle facts,
                    const lattice::binding::CustomRoles *custom = nullptr) {
  lattice::binding::Principal::Target t(p);
  for (py::handle s : asSequence(target, "target"))
    addSegment(
        s, [&](int64_t v) { t.addNumber(v); }, [&](const std::string &v) { t.addString(v); });
  std::vector<std::string> names;
  for (py::handle f : asSequence(facts, "facts"))
    names.push_back(f.cast<std::string>());
  return toPy(table, p.decide(permission, t, lattice::binding::factBits(table.get(), names)),
              custom);
}

// what_can: the allowed permissions' names as a tuple, in declaration order.
py::tuple whatCan(const PyTable &table, const lattice::binding::Principal &p, py::handle target,
                  py::handle facts) {
  lattice::binding::Principal::Target t(p);
  for (py::handle s : asSequence(target, "target"))
    addSegment(
        s, [&](int64_t v) { t.addNumber(v); }, [&](const std::string &v) { t.addString(v); });
  std::vector<std::string> factNames;
  for (py::handle f : asSequence(facts, "facts"))
    factNames.push_back(f.cast<std::string>());
  const auto names = p.whatCan(t, lattice::binding::factBits(table.get(), factNames));
  py::tuple out(names.size());
  for (size_t i = 0; i < names.size(); ++i)
    out[i] = py::str(names[i].data(), names[i].size());
  return out;
}

lattice::binding::ListFilter listFilter(const PyPrincipal &p, const std::string &permission,
                                        py::handle facts) {
  const lattice::binding::Table &t = p.table->get();
  std::vector<std::string> names;
  for (py::handle f : asSequence(facts, "facts"))
    names.push_back(f.cast<std::string>());
  return lattice::binding::ListFilter(
      *p.principal, lattice::binding::resolve(t, Category::Permission, permission),
      lattice::binding::factBits(t, names));
}

py::tuple pathTuple(const std::vector<uint64_t> &path) {
  py::tuple out(path.size());
  for (size_t i = 0; i < path.size(); ++i)
    out[i] = py::int_(path[i]);
  return out;
}

py::tuple namesOf(const PyTable &t, Category c) {
  auto names = lattice::binding::names(t.get(), c);
  py::tuple out(names.size());
  for (size_t i = 0; i < names.size(); ++i)
    out[i] = py::str(names[i].data(), names[i].size());
  return out;
}

} // namespace

PYBIND11_MODULE(_lattice, m) {
  m.doc() = "Lattice runtime binding: load compiled tables, decide requests by name";

  errorType = PyErr_NewException("lattice.Error", PyExc_Exception, nullptr);
  loadErrorType = PyErr_NewException("lattice.LoadError", errorType.ptr(), nullptr);
  py::tuple unknownBases = py::make_tuple(errorType, py::handle(PyExc_LookupError));
  unknownNameType = PyErr_NewException("lattice.UnknownNameError", unknownBases.ptr(), nullptr);
  customRoleErrorType = PyErr_NewException("lattice.CustomRoleError", errorType.ptr(), nullptr);
  if (!errorType || !loadErrorType || !unknownNameType || !customRoleErrorType)
    throw py::error_already_set();
  m.attr("CustomRoleError") = customRoleErrorType;
  m.attr("Error") = errorType;
  m.attr("LoadError") = loadErrorType;
  m.attr("UnknownNameError") = unknownNameType;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const lattice::binding::UnknownName &e) {
      py::object error = unknownNameType(e.what());
      error.attr("category") = lattice::binding::categoryName(e.category);
      error.attr("name") = e.name;
      PyErr_SetObject(unknownNameType.ptr(), error.ptr());
    } catch (const lattice::binding::CustomRoleRefused &e) {
      py::object error = customRoleErrorType(e.what());
      error.attr("status") = e.statusWord();
      error.attr("code") = uint32_t(e.status);
      error.attr("role") = e.role.empty() ? py::object(py::none()) : py::object(py::str(e.role));
      error.attr("ceiling") = e.ceiling;
      error.attr("permission") =
          e.permission.empty() ? py::object(py::none()) : py::object(py::str(e.permission));
      PyErr_SetObject(customRoleErrorType.ptr(), error.ptr());
    } catch (const lattice::binding::InvalidArgument &e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  m.def(
      "relation",
      [](py::handle node, py::handle target) {
        lattice::binding::PathInterner interner;
        std::vector<uint64_t> paths[2];
        py::handle given[2] = {node, target};
        for (int i = 0; i < 2; ++i)
          for (py::handle s : asSequence(given[i], "a node path"))
            addSegment(
                s,
                [&](int64_t v) { paths[i].push_back(lattice::binding::PathInterner::number(v)); },
                [&](const std::string &v) { paths[i].push_back(interner.intern(v)); });
        return std::string(lattice::binding::relationOfPaths(paths[0], paths[1]));
      },
      py::arg("node"), py::arg("target"),
      "The relation of the target node to a node, both as paths: self, descendants, ancestors, "
      "elsewhere or none (another tree)");

  for (uint32_t r = 0; r <= LATTICE_REASON_DENIED_BY_POLICY; ++r) {
    reasonWords[r] = PyUnicode_InternFromString(lattice::binding::reasonName(r));
    if (!reasonWords[r])
      throw py::error_already_set();
  }
  decisionType = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&decisionSpec));
  if (!decisionType)
    throw py::error_already_set();
  m.attr("Decision") = py::handle(reinterpret_cast<PyObject *>(decisionType));

  py::class_<PyTable>(m, "Table", "A loaded, immutable decision table")
      .def_static(
          "load_file",
          [](const std::string &path, std::optional<size_t> maxBytes) {
            lattice_load_status status = LATTICE_LOAD_OK;
            auto loaded = lattice::binding::Table::loadFile(
                path, maxBytes.value_or(LATTICE_DEFAULT_MAX_TABLE_BYTES), &status);
            if (!loaded)
              throwLoadError(status, "cannot load table `" + path + "`");
            return std::make_unique<PyTable>(std::move(loaded));
          },
          py::arg("path"), py::arg("max_bytes") = py::none(),
          "Reads and validates a table file; raises LoadError")
      .def_static(
          "from_bytes",
          [](py::buffer data) {
            py::buffer_info info = data.request();
            lattice_load_status status = LATTICE_LOAD_OK;
            auto loaded = lattice::binding::Table::fromBytes(
                info.ptr, size_t(info.size * info.itemsize), &status);
            if (!loaded)
              throwLoadError(status, "cannot load table from bytes");
            return std::make_unique<PyTable>(std::move(loaded));
          },
          py::arg("data"), "Validates a copy of table bytes; raises LoadError")
      .def_property_readonly("policy_name",
                             [](const PyTable &t) { return std::string(t.get().policyName()); })
      .def_property_readonly(
          "fingerprint", [](const PyTable &t) { return t.get().fingerprint(); },
          "the vocabulary fingerprint: equal in two tables iff every name has the same id")
      .def_property_readonly(
          "revision", [](const PyTable &t) { return std::string(t.get().revision()); },
          "what `lattice build --revision` recorded ('' when nothing was given)")
      .def_property_readonly("kinds", [](const PyTable &t) { return namesOf(t, Category::Kind); })
      .def_property_readonly("roles", [](const PyTable &t) { return namesOf(t, Category::Role); })
      .def_property_readonly("permissions",
                             [](const PyTable &t) { return namesOf(t, Category::Permission); })
      .def_property_readonly("flags", [](const PyTable &t) { return namesOf(t, Category::Flag); })
      .def(
          "principal",
          [](py::object self, const std::string &kind, py::handle memberships, py::handle flags,
             py::object customRoles) {
            const PyTable &table = self.cast<const PyTable &>();
            const lattice::binding::CustomRoles *custom = customOf(table, customRoles);
            return PyPrincipal{self, &table, customRoles, custom,
                               buildPrincipal(table.get(), kind, memberships, flags,
                                              lattice::binding::Principal::Handle::Make, custom)};
          },
          py::kw_only(), py::arg("kind"), py::arg("memberships"), py::arg("flags") = py::tuple(),
          py::arg("custom_roles") = py::none(),
          "A principal resolved against this table, to decide many requests")
      .def(
          "decide",
          [](const PyTable &self, const std::string &kind, py::handle memberships,
             const std::string &permission, py::handle target, py::handle flags, py::handle facts,
             py::handle customRoles) {
            const lattice::binding::CustomRoles *custom = customOf(self, customRoles);
            auto p = buildPrincipal(self.get(), kind, memberships, flags,
                                    lattice::binding::Principal::Handle::None, custom);
            return decideAs(self, *p, permission, target, facts, custom);
          },
          py::kw_only(), py::arg("kind"), py::arg("memberships"), py::arg("permission"),
          py::arg("target"), py::arg("flags") = py::tuple(), py::arg("facts") = py::tuple(),
          py::arg("custom_roles") = py::none(),
          "Decides one request of a principal with memberships")
      .def(
          "decide_at",
          [](const PyTable &self, const std::string &kind, py::handle roles,
             const std::string &permission, const std::string &relation, py::handle flags) {
            const lattice::binding::Table &t = self.get();
            std::vector<uint32_t> ids = roleIds(t, roles);
            uint64_t mask = flagMask(t, flags);
            return toPy(self, lattice::binding::decideAt(
                                  t, lattice::binding::resolve(t, Category::Kind, kind), ids,
                                  lattice::binding::resolve(t, Category::Permission, permission),
                                  lattice::binding::relationFromName(relation), mask));
          },
          py::kw_only(), py::arg("kind"), py::arg("roles"), py::arg("permission"),
          py::arg("relation") = "self", py::arg("flags") = py::tuple(),
          "Decides for roles held at one node, given the relation of the target to it")
      .def(
          "who_can",
          [](const PyTable &self, const std::string &permission, const std::string &relation,
             py::handle flags) {
            std::vector<std::string> names;
            for (py::handle f : asSequence(flags, "flags"))
              names.push_back(f.cast<std::string>());
            const auto answer = lattice::binding::whoCan(self.get(), permission, relation, names);
            auto tuple = [](const std::vector<std::string_view> &list) {
              py::tuple out(list.size());
              for (size_t i = 0; i < list.size(); ++i)
                out[i] = py::str(list[i].data(), list[i].size());
              return out;
            };
            // lattice.WhoCan, the NamedTuple of __init__.py (loaded before any table exists).
            return py::module_::import("lattice").attr("WhoCan")(
                tuple(answer.roles), tuple(answer.ceilings), tuple(answer.userTypes));
          },
          py::arg("permission"), py::kw_only(), py::arg("relation") = "self",
          py::arg("flags") = py::tuple(),
          "The roles, custom-role ceilings and user types that can be allowed `permission` at "
          "`relation` with exactly `flags` set (any side: the principal's, its node's, facts)")
      .def(
          "can_assign",
          [](const PyTable &self, py::handle roles, const std::string &target, py::handle flags) {
            const lattice::binding::Table &t = self.get();
            std::vector<uint32_t> ids = roleIds(t, roles);
            const uint32_t targetId = lattice::binding::resolve(t, Category::Role, target);
            if (flags.is_none())
              return lattice::binding::canAssign(t, ids, targetId);
            uint64_t mask = flagMask(t, flags);
            return lattice::binding::canAssign(t, ids, targetId, &mask);
          },
          py::arg("roles"), py::arg("target"), py::arg("flags") = py::none(),
          "Whether a principal holding `roles` may assign the role `target`; with `flags`, the "
          "assigner's own and its node's, a conditional `assigns` counts when they satisfy it")
      // Custom roles: ceilings and who may create roles of them.
      .def_property_readonly("ceilings",
                             [](const PyTable &t) {
                               auto names = lattice::binding::ceilingNames(t.get());
                               py::tuple out(names.size());
                               for (size_t i = 0; i < names.size(); ++i)
                                 out[i] = py::str(names[i].data(), names[i].size());
                               return out;
                             })
      .def(
          "ceiling_kinds",
          [](const PyTable &t, const std::string &ceiling) {
            auto kinds = lattice::binding::ceilingKinds(t.get(), ceiling);
            py::tuple out(kinds.size());
            for (size_t i = 0; i < kinds.size(); ++i)
              out[i] = py::str(kinds[i].data(), kinds[i].size());
            return out;
          },
          py::arg("ceiling"), "The user types that may hold roles of a ceiling")
      .def(
          "ceiling_reach",
          [](const PyTable &t, const std::string &ceiling, const std::string &permission) {
            return wordsOf(lattice::binding::ceilingReach(t.get(), ceiling, permission));
          },
          py::arg("ceiling"), py::arg("permission"),
          "The relations a role of the ceiling may reach with the permission (() if none)")
      .def(
          "can_create",
          [](const PyTable &self, py::handle roles, const std::string &ceiling) {
            const lattice::binding::Table &t = self.get();
            return lattice::binding::canCreate(t, roleIds(t, roles), ceiling);
          },
          py::arg("roles"), py::arg("ceiling"),
          "Whether a principal holding `roles` may create and give custom roles of `ceiling`")
      .def("__repr__", [](const PyTable &t) {
        return "<lattice.Table policy='" + std::string(t.get().policyName()) + "'>";
      });

  py::class_<PyCustomRoles>(m, "CustomRoles",
                            "Custom roles built at run time within one table's ceilings")
      .def(py::init([](py::object table) {
             if (!py::isinstance<PyTable>(table))
               throw py::type_error("CustomRoles needs a lattice.Table");
             const PyTable &t = table.cast<const PyTable &>();
             return PyCustomRoles{table, &t,
                                  std::make_unique<lattice::binding::CustomRoles>(t.get())};
           }),
           py::arg("table"))
      .def_property_readonly("table", [](const PyCustomRoles &c) { return c.owner; })
      .def_property_readonly("names",
                             [](const PyCustomRoles &c) {
                               py::tuple out(c.roles->names().size());
                               for (size_t i = 0; i < c.roles->names().size(); ++i)
                                 out[i] = py::str(c.roles->names()[i]);
                               return out;
                             })
      .def("__len__", [](const PyCustomRoles &c) { return c.roles->count(); })
      .def("__contains__",
           [](const PyCustomRoles &c, const std::string &name) {
             return c.roles->lookup(name) != LATTICE_NO_ID;
           })
      .def(
          "add",
          [](PyCustomRoles &c, const std::string &name, const std::string &ceiling,
             py::handle permissions) {
            c.roles->add(name, ceiling, cellsOf(permissions));
            return name;
          },
          py::arg("name"), py::arg("ceiling"), py::arg("permissions"),
          "Builds role `name` of `ceiling` from {permission: reach} (or pairs), all or nothing; "
          "raises CustomRoleError naming the runtime's status and the offending permission")
      .def(
          "ceiling_of",
          [](const PyCustomRoles &c, const std::string &name) {
            return std::string(c.roles->ceilingOf(name));
          },
          py::arg("name"))
      .def(
          "reach",
          [](const PyCustomRoles &c, const std::string &name, const std::string &permission) {
            return wordsOf(c.roles->reach(name, permission));
          },
          py::arg("name"), py::arg("permission"),
          "The relations role `name` holds `permission` at (() if it does not)")
      .def("__repr__", [](const PyCustomRoles &c) {
        return "<lattice.CustomRoles policy='" + std::string(c.table->get().policyName()) +
               "' roles=" + std::to_string(c.roles->count()) + ">";
      });

  py::class_<PyPrincipal>(m, "Principal", "A principal resolved against one table")
      .def_property_readonly("table", [](const PyPrincipal &p) { return p.owner; })
      .def_property_readonly("custom_roles", [](const PyPrincipal &p) { return p.customOwner; })
      .def(
          "decide",
          [](const PyPrincipal &p, const std::string &permission, py::handle target,
             py::handle facts) {
            return decideAs(*p.table, *p.principal, permission, target, facts, p.custom);
          },
          py::arg("permission"), py::arg("target"), py::arg("facts") = py::tuple(),
          "Decides one request of this principal, with the request's facts by name")
      .def(
          "what_can",
          [](const PyPrincipal &p, py::handle target, py::handle facts) {
            return whatCan(*p.table, *p.principal, target, facts);
          },
          py::arg("target"), py::arg("facts") = py::tuple(),
          "Every permission this principal is allowed on `target` (names, declaration order)")
      .def(
          "list_filter_terms",
          [](const PyPrincipal &p, const std::string &permission, py::handle facts) {
            py::list out;
            for (const auto &term : listFilter(p, permission, facts).terms()) {
              py::list exclusions;
              for (const auto &e : term.exclusions)
                exclusions.append(pathTuple(e));
              out.append(py::make_tuple(term.kind, pathTuple(term.node), exclusions));
            }
            return out;
          },
          py::arg("permission"), py::arg("facts") = py::tuple(),
          "The target nodes this principal may act on with `permission`, as disjoint terms "
          "(kind, node path, excluded child paths), kind 'node', 'subtree' or 'below' "
          "(docs/filter-list-endpoint.md)")
      .def(
          "list_filter_sql",
          [](const PyPrincipal &p, const std::string &permission, const std::string &dialect,
             const std::string &column, py::handle facts, uint32_t firstParam) {
            const lattice::binding::FilterSql sql =
                listFilter(p, permission, facts).sql(dialect, column, firstParam);
            py::list params;
            for (const std::string &param : sql.params)
              params.append(py::bytes(param));
            return py::make_tuple(sql.sql, params);
          },
          py::arg("permission"), py::kw_only(), py::arg("dialect"), py::arg("column") = "node_key",
          py::arg("facts") = py::tuple(), py::arg("first_param") = 1,
          "The same filter as a WHERE predicate for 'postgres' ($N) or 'sqlite' (?N) over the "
          "key column, and its parameters as bytes (bind them as bytea / BLOB)");
}
