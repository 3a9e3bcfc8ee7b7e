// list_filter_jni.cpp - the JNI side of ListFilter (docs/filter-list-endpoint.md): a principal
// handle's list filter flattened into a long[] for Java to decode, and its SQL with parameters.
#include "invalid_example_lattice_ListFilter.h"
#include "lattice/list_filter.h"

#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

using FilterPtr = std::unique_ptr<lattice_list_filter, void (*)(lattice_list_filter *)>;

void throwIllegal(JNIEnv *env, const std::string &message) {
  if (jclass cls = env->FindClass("java/lang/IllegalArgumentException"))
    env->ThrowNew(cls, message.c_str());
}

/// The filter, or null with a Java exception thrown.
FilterPtr build(JNIEnv *env, jlong principal, jint permission, jlong facts) {
  lattice_list_filter *raw = nullptr;
  const lattice_filter_status status =
      lattice_list_filter_as(reinterpret_cast<const lattice_principal *>(principal),
                             uint32_t(permission), uint64_t(facts), &raw);
  FilterPtr f(raw, lattice_list_filter_free);
  if (status == LATTICE_FILTER_OUT_OF_MEMORY) {
    if (jclass cls = env->FindClass("java/lang/OutOfMemoryError"))
      env->ThrowNew(cls, "out of memory");
  } else if (status != LATTICE_FILTER_OK) {
    throwIllegal(env, std::string("no list filter: ") + lattice_filter_status_message(status));
  }
  return f;
}

void putPath(std::vector<jlong> &out, const lattice_node_path &p) {
  out.push_back(jlong(p.depth));
  for (uint32_t i = 0; i < p.depth; ++i)
    out.push_back(jlong(p.ids[i]));
}

} // namespace

extern "C" {

JNIEXPORT jlongArray JNICALL Java_invalid_example_lattice_ListFilter_nativeTerms(
    JNIEnv *env, jclass, jlong principal, jint permission, jlong facts) {
  try {
    FilterPtr f = build(env, principal, permission, facts);
    if (!f)
      return nullptr;
    std::vector<jlong> flat{jlong(lattice_list_filter_term_count(f.get()))};
    for (uint32_t i = 0; i < lattice_list_filter_term_count(f.get()); ++i) {
      const lattice_filter_term t = lattice_list_filter_term(f.get(), i);
      flat.push_back(jlong(t.kind));
      putPath(flat, t.node);
      flat.push_back(jlong(t.exclusion_count));
      for (uint32_t e = 0; e < t.exclusion_count; ++e)
        putPath(flat, t.exclusions[e]);
    }
    jlongArray out = env->NewLongArray(jsize(flat.size()));
    if (out)
      env->SetLongArrayRegion(out, 0, jsize(flat.size()), flat.data());
    return out;
  } catch (const std::bad_alloc &) {
    if (jclass cls = env->FindClass("java/lang/OutOfMemoryError"))
      env->ThrowNew(cls, "out of memory");
    return nullptr;
  }
}

JNIEXPORT jobjectArray JNICALL Java_invalid_example_lattice_ListFilter_nativeSql(
    JNIEnv *env, jclass, jlong principal, jint permission, jlong facts, jint dialect,
    jstring column, jint firstParam) {
  try {
    FilterPtr f = build(env, principal, permission, facts);
    if (!f)
      return nullptr;
    const char *chars = env->GetStringUTFChars(column, nullptr);
    if (!chars)
      return nullptr;
    const std::string name(chars);
    env->ReleaseStringUTFChars(column, chars);
    const uint32_t first = firstParam < 1 ? 0 : uint32_t(firstParam);
    const size_t n =
        lattice_list_filter_sql(f.get(), uint32_t(dialect), name.c_str(), first, nullptr, 0);
    if (n == 0) {
      throwIllegal(env, "`" + name +
                            "` is not a plain column name (letters, digits, `_`, optionally "
                            "`table.column`), or the first parameter number is below 1");
      return nullptr;
    }
    std::string sql(n, '\0');
    lattice_list_filter_sql(f.get(), uint32_t(dialect), name.c_str(), first, sql.data(), n + 1);
    const uint32_t count = lattice_list_filter_param_count(f.get());
    jclass objectClass = env->FindClass("java/lang/Object");
    if (!objectClass)
      return nullptr;
    jobjectArray out = env->NewObjectArray(jsize(count + 1), objectClass, nullptr);
    if (!out)
      return nullptr;
    jstring text = env->NewStringUTF(sql.c_str()); // the SQL is ASCII but for the column name
    if (!text)
      return nullptr;
    env->SetObjectArrayElement(out, 0, text);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t size = 0;
      const uint8_t *data = lattice_list_filter_param(f.get(), i, &size);
      jbyteArray bytes = env->NewByteArray(jsize(size));
      if (!bytes)
        return nullptr;
      env->SetByteArrayRegion(bytes, 0, jsize(size), reinterpret_cast<const jbyte *>(data));
      env->SetObjectArrayElement(out, jsize(i + 1), bytes);
      env->DeleteLocalRef(bytes);
    }
    return out;
  } catch (const std::bad_alloc &) {
    if (jclass cls = env->FindClass("java/lang/OutOfMemoryError"))
      env->ThrowNew(cls, "out of memory");
    return nullptr;
  }
}

} // extern "C"
