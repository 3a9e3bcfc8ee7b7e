// who_can_jni.cpp - the JNI side of WhoCanJni.java: lattice_who_can on a table handle (a
// lattice::binding::Table, as lattice_jni.cpp makes them), into the Java long[] bitsets of roles,
// ceilings and user types.
#include "invalid_example_lattice_WhoCanJni.h"
#include "lattice/lattice.h"
#include "lattice_binding.hpp"

#include <new>
#include <vector>

extern "C" {

JNIEXPORT jint JNICALL Java_invalid_example_lattice_WhoCanJni_nativeWhoCan(
    JNIEnv *env, jclass, jlong table, jint permission, jint relation, jlong flags, jlongArray roles,
    jlongArray ceilings, jlongArray kinds) {
  std::vector<uint64_t> bits[3];
  jlongArray arrays[3] = {roles, ceilings, kinds};
  try {
    for (int i = 0; i < 3; ++i)
      bits[i].resize(size_t(env->GetArrayLength(arrays[i])));
  } catch (const std::bad_alloc &) {
    return jint(LATTICE_WHO_CAN_BAD_ARGUMENT); // nobody
  }
  const lattice_who_can_status status = lattice_who_can(
      reinterpret_cast<const lattice::binding::Table *>(table)->get(), uint32_t(permission),
      uint32_t(relation), uint64_t(flags), bits[0].data(), uint32_t(bits[0].size()), bits[1].data(),
      uint32_t(bits[1].size()), bits[2].data(), uint32_t(bits[2].size()));
  for (int i = 0; i < 3; ++i)
    env->SetLongArrayRegion(arrays[i], 0, jsize(bits[i].size()),
                            reinterpret_cast<const jlong *>(bits[i].data()));
  return jint(status);
}

JNIEXPORT jstring JNICALL Java_invalid_example_lattice_WhoCanJni_nativeStatusMessage(JNIEnv *env,
                                                                                     jclass,
                                                                                     jint status) {
  return env->NewStringUTF(lattice_who_can_status_message(lattice_who_can_status(status)));
}

} // extern "C"
