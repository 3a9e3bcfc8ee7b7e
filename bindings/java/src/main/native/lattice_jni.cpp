// lattice_jni.cpp - the JNI side of the Java binding: loading, names, and decisions on ids the
// Java side resolved against the same table (Table.java, Principal.java). Decisions come back
// packed in a long (Table.decision), so a request allocates nothing on the Java heap.
#include "invalid_example_lattice_CustomRoles.h"
#include "invalid_example_lattice_Principal.h"
#include "invalid_example_lattice_Table.h"
#include "lattice_binding.hpp"

#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

using lattice::binding::Category;
// A Java Table's native address: the shared layer's table (with its copy of loaded bytes).
using NativeTable = lattice::binding::Table;

// The elements of a Java int[] or long[] (ids are unsigned on this side). Throws std::bad_alloc.
std::vector<uint32_t> elements(JNIEnv *env, jintArray array) {
  std::vector<uint32_t> out(size_t(env->GetArrayLength(array)));
  env->GetIntArrayRegion(array, 0, jsize(out.size()), reinterpret_cast<jint *>(out.data()));
  return out;
}
std::vector<uint64_t> elements(JNIEnv *env, jlongArray array) {
  std::vector<uint64_t> out(size_t(env->GetArrayLength(array)));
  env->GetLongArrayRegion(array, 0, jsize(out.size()), reinterpret_cast<jlong *>(out.data()));
  return out;
}

// The membership structs of the flat arrays Principal.Resolved makes (4 numbers per membership
// in `layout`: path start, path length, role start, role count), with the ids they point into.
// Principal.java builds the layout from the arrays it passes, so every range lies inside them.
// Throws std::bad_alloc.
struct Memberships {
  std::vector<uint64_t> pathIds;
  std::vector<uint32_t> roleIds;
  std::vector<lattice_membership> list;

  Memberships(JNIEnv *env, jintArray layout, jlongArray nodeFlags, jlongArray pathArray,
              jintArray roleArray)
      : pathIds(elements(env, pathArray)), roleIds(elements(env, roleArray)) {
    const std::vector<uint32_t> l = elements(env, layout);
    const std::vector<uint64_t> nf = elements(env, nodeFlags);
    const size_t n = nf.size();
    list.resize(n);
    for (size_t i = 0; i < n; ++i) {
      lattice_membership &m = list[i];
      std::memset(&m, 0, sizeof m);
      m.node.path.ids = pathIds.data() + l[4 * i];
      m.node.path.depth = l[4 * i + 1];
      m.roles = roleIds.data() + l[4 * i + 2];
      m.role_count = l[4 * i + 3];
      m.node_flags = nf[i];
    }
  }
};

// The C table of a Java Table's address; NULL for a closed table (0), which the C API denies.
const lattice_table *tableOf(jlong address) {
  return address ? reinterpret_cast<const NativeTable *>(address)->get() : nullptr;
}

void throwLoad(JNIEnv *env, lattice_load_status status, const std::string &what) {
  jclass cls = env->FindClass("invalid/example/lattice/LoadException");
  if (!cls)
    return;
  jmethodID ctor = env->GetMethodID(cls, "<init>", "(Ljava/lang/String;Ljava/lang/String;)V");
  if (!ctor)
    return;
  std::string message = what + ": " + lattice_load_status_message(status);
  jstring m = env->NewStringUTF(message.c_str());
  jstring w = env->NewStringUTF(lattice::binding::loadStatusName(status));
  if (!m || !w)
    return;
  jobject error = env->NewObject(cls, ctor, m, w);
  if (error)
    env->Throw(static_cast<jthrowable>(error));
}

void throwOutOfMemory(JNIEnv *env) {
  jclass cls = env->FindClass("java/lang/OutOfMemoryError");
  if (cls)
    env->ThrowNew(cls, "lattice: out of native memory");
}

// A loaded table's address for Java, or 0 with a LoadException thrown.
jlong adopt(JNIEnv *env, std::unique_ptr<NativeTable> t, lattice_load_status status,
            const std::string &what) {
  if (!t) {
    throwLoad(env, status, what);
    return 0;
  }
  return reinterpret_cast<jlong>(t.release());
}

// bit 40 allowed, bits 32-39 reason, bits 0-31 deciding role, bits 41-63 membership + 1.
jlong pack(int allowed, uint32_t reason, uint32_t role, uint32_t membership) {
  uint64_t m = membership == LATTICE_NO_ID ? 0 : uint64_t(membership) + 1;
  return jlong((m << 41) | (uint64_t(allowed ? 1 : 0) << 40) | (uint64_t(reason & 0xff) << 32) |
               role);
}

} // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Table_nativeLoadFile(JNIEnv *env, jclass,
                                                                          jstring path,
                                                                          jlong maxBytes) {
  if (!path) {
    throwLoad(env, LATTICE_LOAD_IO_ERROR, "cannot load table: no path");
    return 0;
  }
  const char *p = env->GetStringUTFChars(path, nullptr);
  if (!p)
    return 0;
  try {
    std::string name(p);
    env->ReleaseStringUTFChars(path, p);
    p = nullptr;
    lattice_load_status status = LATTICE_LOAD_OK;
    std::unique_ptr<NativeTable> t =
        NativeTable::loadFile(name, size_t(maxBytes < 0 ? 0 : maxBytes), &status);
    return adopt(env, std::move(t), status, "cannot load table `" + name + "`");
  } catch (const std::bad_alloc &) {
    if (p)
      env->ReleaseStringUTFChars(path, p);
    throwOutOfMemory(env);
    return 0;
  }
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Table_nativeLoadBytes(JNIEnv *env, jclass,
                                                                           jbyteArray data) {
  try {
    std::string bytes; // copied once, into the table's own storage
    if (data) {
      bytes.resize(size_t(env->GetArrayLength(data)));
      env->GetByteArrayRegion(data, 0, jsize(bytes.size()), reinterpret_cast<jbyte *>(&bytes[0]));
    }
    lattice_load_status status = LATTICE_LOAD_OK;
    std::unique_ptr<NativeTable> t = NativeTable::fromBytes(std::move(bytes), &status);
    return adopt(env, std::move(t), status, "cannot load table from bytes");
  } catch (const std::bad_alloc &) {
    throwOutOfMemory(env);
    return 0;
  }
}

JNIEXPORT void JNICALL Java_invalid_example_lattice_Table_nativeFree(JNIEnv *, jclass,
                                                                     jlong table) {
  delete reinterpret_cast<NativeTable *>(table);
}

JNIEXPORT jstring JNICALL Java_invalid_example_lattice_Table_nativePolicyName(JNIEnv *env, jclass,
                                                                              jlong table) {
  const char *name = lattice_policy_name(tableOf(table));
  return env->NewStringUTF(name ? name : "");
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Table_nativeFingerprint(JNIEnv *, jclass,
                                                                             jlong table) {
  return jlong(lattice_table_fingerprint(tableOf(table)));
}

JNIEXPORT jstring JNICALL Java_invalid_example_lattice_Table_nativeRevision(JNIEnv *env, jclass,
                                                                            jlong table) {
  const char *revision = lattice_table_revision(tableOf(table));
  return env->NewStringUTF(revision ? revision : "");
}

JNIEXPORT jintArray JNICALL Java_invalid_example_lattice_Table_nativeFlagSides(JNIEnv *env, jclass,
                                                                               jlong table) {
  const lattice_table *t = tableOf(table);
  uint32_t n = lattice_flag_count(t);
  jintArray out = env->NewIntArray(jsize(n));
  for (uint32_t i = 0; out && i < n; ++i) {
    jint side = jint(lattice_flag_side(t, i));
    env->SetIntArrayRegion(out, jsize(i), 1, &side);
  }
  return out;
}

JNIEXPORT jobjectArray JNICALL Java_invalid_example_lattice_Table_nativeNames(JNIEnv *env, jclass,
                                                                              jlong table,
                                                                              jint category) {
  if (!table || category < 0 || category > 3) // Java's categories are Category's numbers
    return nullptr;
  const NativeTable &t = *reinterpret_cast<const NativeTable *>(table);
  const Category c = Category(category);
  const uint32_t n = t.count(c);
  jclass stringClass = env->FindClass("java/lang/String");
  if (!stringClass)
    return nullptr;
  jobjectArray out = env->NewObjectArray(jsize(n), stringClass, nullptr);
  try {
    for (uint32_t i = 0; out && i < n; ++i) {
      jstring s = env->NewStringUTF(std::string(t.name(c, i)).c_str());
      if (!s)
        return nullptr;
      env->SetObjectArrayElement(out, jsize(i), s);
      env->DeleteLocalRef(s);
    }
  } catch (const std::bad_alloc &) {
    throwOutOfMemory(env);
    return nullptr;
  }
  return out;
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Table_nativeDecideAt(
    JNIEnv *env, jclass, jlong table, jint kind, jintArray roles, jint permission, jint relation,
    jlong flags) {
  std::vector<uint32_t> ids;
  try {
    ids = elements(env, roles);
  } catch (const std::bad_alloc &) {
    return pack(0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  }
  lattice_request r{};
  r.kind = uint32_t(kind);
  r.roles = ids.data();
  r.role_count = uint32_t(ids.size());
  r.permission = uint32_t(permission);
  r.relation = uint32_t(relation);
  r.flags = uint64_t(flags);
  lattice_decision d = lattice_decide(tableOf(table), &r);
  return pack(d.allowed, d.reason, d.deciding_role, LATTICE_NO_ID);
}

JNIEXPORT jboolean JNICALL Java_invalid_example_lattice_Table_nativeCanAssign(
    JNIEnv *env, jclass, jlong table, jintArray roles, jint target, jboolean withFlags,
    jlong flags) {
  std::vector<uint32_t> ids;
  try {
    ids = elements(env, roles);
  } catch (const std::bad_alloc &) {
    return JNI_FALSE;
  }
  // With the assigner's flags a conditional `assigns` counts (lattice_can_assign_with).
  const int ok =
      withFlags
          ? lattice_can_assign_with(tableOf(table), ids.data(), uint32_t(ids.size()),
                                    uint32_t(target), uint64_t(flags))
          : lattice_can_assign(tableOf(table), ids.data(), uint32_t(ids.size()), uint32_t(target));
  return ok ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jint JNICALL Java_invalid_example_lattice_Table_nativeRelation(JNIEnv *env, jclass,
                                                                         jlongArray node,
                                                                         jlongArray target) {
  try {
    const std::vector<uint64_t> a = elements(env, node), b = elements(env, target);
    return jint(
        lattice_relation_of_paths({a.data(), uint32_t(a.size())}, {b.data(), uint32_t(b.size())}));
  } catch (const std::bad_alloc &) {
    return LATTICE_REL_NONE;
  }
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Table_nativeDecideAccess(
    JNIEnv *env, jclass, jlong table, jlong set, jint kind, jlong flags, jintArray layout,
    jlongArray nodeFlags, jlongArray pathIds, jintArray roleIds, jint permission, jlongArray target,
    jlong facts) {
  try {
    Memberships m(env, layout, nodeFlags, pathIds, roleIds);
    const std::vector<uint64_t> ids = elements(env, target);
    if (env->ExceptionCheck())
      return pack(0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
    lattice_access_request r{};
    r.kind = uint32_t(kind);
    r.flags = uint64_t(flags);
    r.memberships = m.list.data();
    r.membership_count = uint32_t(m.list.size());
    r.permission = uint32_t(permission);
    r.target.path.ids = ids.data();
    r.target.path.depth = uint32_t(ids.size());
    r.facts = uint64_t(facts);
    lattice_access_decision d = lattice_decide_access_custom(
        tableOf(table), reinterpret_cast<const lattice_custom_roles *>(set), &r);
    return pack(d.allowed, d.reason, d.deciding_role, d.deciding_membership);
  } catch (const std::bad_alloc &) {
    return pack(0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  }
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Principal_nativeNew(
    JNIEnv *env, jclass, jlong table, jlong set, jint kind, jlong flags, jintArray layout,
    jlongArray nodeFlags, jlongArray pathIds, jintArray roleIds) {
  lattice_principal *p = nullptr;
  lattice_principal_status status = LATTICE_PRINCIPAL_OUT_OF_MEMORY;
  try {
    Memberships m(env, layout, nodeFlags, pathIds, roleIds);
    if (env->ExceptionCheck())
      return 0;
    status = lattice_principal_new_custom(
        tableOf(table), reinterpret_cast<const lattice_custom_roles *>(set), uint32_t(kind),
        uint64_t(flags), m.list.data(), uint32_t(m.list.size()), &p);
  } catch (const std::bad_alloc &) {
  }
  if (status == LATTICE_PRINCIPAL_OK && p)
    return reinterpret_cast<jlong>(p);
  if (status == LATTICE_PRINCIPAL_OUT_OF_MEMORY) {
    throwOutOfMemory(env);
    return 0;
  }
  jclass cls = env->FindClass("java/lang/IllegalArgumentException");
  std::string message =
      std::string("cannot build the principal: ") + lattice_principal_status_message(status);
  if (cls)
    env->ThrowNew(cls, message.c_str());
  return 0;
}

JNIEXPORT void JNICALL Java_invalid_example_lattice_Principal_nativeFree(JNIEnv *, jclass,
                                                                         jlong principal) {
  lattice_principal_free(reinterpret_cast<lattice_principal *>(principal));
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_Principal_nativeDecide(
    JNIEnv *env, jclass, jlong principal, jint permission, jlongArray target, jlong facts) {
  uint64_t stack[16];
  std::vector<uint64_t> heap;
  size_t depth = size_t(env->GetArrayLength(target));
  uint64_t *ids = stack;
  if (depth > 16) {
    try {
      heap.resize(depth);
    } catch (const std::bad_alloc &) {
      return pack(0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
    }
    ids = heap.data();
  }
  env->GetLongArrayRegion(target, 0, jsize(depth), reinterpret_cast<jlong *>(ids));
  lattice_node_ref ref{};
  ref.path.ids = ids;
  ref.path.depth = uint32_t(depth);
  // A NULL (closed) principal is BAD_REQUEST.
  lattice_access_decision d =
      lattice_decide_as(reinterpret_cast<const lattice_principal *>(principal),
                        uint32_t(permission), ref, uint64_t(facts));
  return pack(d.allowed, d.reason, d.deciding_role, d.deciding_membership);
}

// ---- Custom roles (CustomRoles.java): the set's address is a lattice_custom_roles * ----------
JNIEXPORT jlong JNICALL Java_invalid_example_lattice_CustomRoles_nativeNew(JNIEnv *, jclass,
                                                                           jlong table) {
  return reinterpret_cast<jlong>(lattice_custom_roles_new(tableOf(table)));
}

JNIEXPORT void JNICALL Java_invalid_example_lattice_CustomRoles_nativeFree(JNIEnv *, jclass,
                                                                           jlong set) {
  lattice_custom_roles_free(reinterpret_cast<lattice_custom_roles *>(set));
}

// (status << 32) | role id on success, else | the offending index (all ones for none).
JNIEXPORT jlong JNICALL Java_invalid_example_lattice_CustomRoles_nativeAdd(
    JNIEnv *env, jclass, jlong set, jstring ceiling, jobjectArray permissions, jintArray reaches) {
  auto packed = [](uint32_t status, uint32_t value) {
    return jlong((uint64_t(status) << 32) | value);
  };
  if (!ceiling)
    return packed(LATTICE_CUSTOM_UNKNOWN_CEILING, LATTICE_NO_ID);
  try {
    const jsize n = env->GetArrayLength(permissions);
    std::vector<std::string> names(
        static_cast<size_t>(n)); // modified UTF-8: a NUL never ends one early
    for (jsize i = 0; i < n; ++i) {
      auto s = static_cast<jstring>(env->GetObjectArrayElement(permissions, i));
      if (!s)
        return packed(LATTICE_CUSTOM_UNKNOWN_PERMISSION, uint32_t(i));
      const char *chars = env->GetStringUTFChars(s, nullptr);
      if (!chars)
        return packed(LATTICE_CUSTOM_OUT_OF_MEMORY, LATTICE_NO_ID);
      names[size_t(i)] = chars;
      env->ReleaseStringUTFChars(s, chars);
      env->DeleteLocalRef(s);
    }
    std::vector<const char *> pointers;
    for (const std::string &name : names)
      pointers.push_back(name.c_str());
    const std::vector<uint32_t> r = elements(env, reaches);
    const char *c = env->GetStringUTFChars(ceiling, nullptr);
    if (!c || env->ExceptionCheck())
      return packed(LATTICE_CUSTOM_OUT_OF_MEMORY, LATTICE_NO_ID);
    uint32_t role = LATTICE_NO_ID, bad = LATTICE_NO_ID;
    lattice_custom_status status =
        lattice_custom_role_add_names(reinterpret_cast<lattice_custom_roles *>(set), c,
                                      pointers.data(), r.data(), uint32_t(n), &role, &bad);
    env->ReleaseStringUTFChars(ceiling, c);
    return packed(status, status == LATTICE_CUSTOM_OK ? role : bad);
  } catch (const std::bad_alloc &) {
    return packed(LATTICE_CUSTOM_OUT_OF_MEMORY, LATTICE_NO_ID);
  }
}

JNIEXPORT jint JNICALL Java_invalid_example_lattice_CustomRoles_nativeCeilingOf(JNIEnv *, jclass,
                                                                                jlong set,
                                                                                jint role) {
  return jint(lattice_custom_role_ceiling(reinterpret_cast<const lattice_custom_roles *>(set),
                                          uint32_t(role)));
}

JNIEXPORT jint JNICALL Java_invalid_example_lattice_CustomRoles_nativeReach(JNIEnv *, jclass,
                                                                            jlong set, jint role,
                                                                            jint permission) {
  return jint(lattice_custom_role_reach(reinterpret_cast<const lattice_custom_roles *>(set),
                                        uint32_t(role), uint32_t(permission)));
}

JNIEXPORT jstring JNICALL
Java_invalid_example_lattice_CustomRoles_nativeStatusMessage(JNIEnv *env, jclass, jint status) {
  return env->NewStringUTF(lattice_custom_status_message(lattice_custom_status(status)));
}

JNIEXPORT jobjectArray JNICALL
Java_invalid_example_lattice_CustomRoles_nativeCeilings(JNIEnv *env, jclass, jlong table) {
  const lattice_table *t = tableOf(table);
  const uint32_t n = lattice_ceiling_count(t);
  jclass string = env->FindClass("java/lang/String");
  if (!string)
    return nullptr;
  jobjectArray out = env->NewObjectArray(jsize(n), string, nullptr);
  for (uint32_t i = 0; out && i < n; ++i) {
    jstring name = env->NewStringUTF(lattice_ceiling_name(t, i));
    if (!name)
      return nullptr;
    env->SetObjectArrayElement(out, jsize(i), name);
    env->DeleteLocalRef(name);
  }
  return out;
}

JNIEXPORT jlong JNICALL Java_invalid_example_lattice_CustomRoles_nativeCeilingKinds(JNIEnv *,
                                                                                    jclass,
                                                                                    jlong table,
                                                                                    jint ceiling) {
  return jlong(lattice_ceiling_kinds(tableOf(table), uint32_t(ceiling)));
}

JNIEXPORT jint JNICALL Java_invalid_example_lattice_CustomRoles_nativeCeilingReach(
    JNIEnv *, jclass, jlong table, jint ceiling, jint permission) {
  return jint(lattice_ceiling_reach(tableOf(table), uint32_t(ceiling), uint32_t(permission)));
}

JNIEXPORT jboolean JNICALL Java_invalid_example_lattice_CustomRoles_nativeCanCreate(
    JNIEnv *env, jclass, jlong table, jintArray roles, jint ceiling) {
  try {
    const std::vector<uint32_t> ids = elements(env, roles);
    return lattice_can_create(tableOf(table), ids.data(), uint32_t(ids.size()),
                              uint32_t(ceiling)) != 0;
  } catch (const std::bad_alloc &) {
    return false;
  }
}
// ---- end of custom roles ------------------------------------------------------------------

} // extern "C"
