// what_can_jni.cpp - the JNI side of WhatCan.java: lattice_what_can_as on a principal handle and
// a target path, into the Java long[] of bitset words.
#include "invalid_example_lattice_WhatCan.h"
#include "lattice/lattice.h"

#include <new>
#include <vector>

extern "C" {

JNIEXPORT jint JNICALL Java_invalid_example_lattice_WhatCan_nativeWhatCan(
    JNIEnv *env, jclass, jlong principal, jlongArray target, jlong facts, jlongArray words) {
  std::vector<uint64_t> ids, bits;
  try {
    ids.resize(size_t(env->GetArrayLength(target)));
    bits.resize(size_t(env->GetArrayLength(words)));
  } catch (const std::bad_alloc &) {
    return jint(LATTICE_WHAT_CAN_BAD_ARGUMENT); // nothing allowed
  }
  env->GetLongArrayRegion(target, 0, jsize(ids.size()), reinterpret_cast<jlong *>(ids.data()));
  lattice_node_ref ref{};
  ref.path.ids = ids.data();
  ref.path.depth = uint32_t(ids.size());
  const lattice_what_can_status status =
      lattice_what_can_as(reinterpret_cast<const lattice_principal *>(principal), ref,
                          uint64_t(facts), bits.data(), uint32_t(bits.size()));
  env->SetLongArrayRegion(words, 0, jsize(bits.size()),
                          reinterpret_cast<const jlong *>(bits.data()));
  return jint(status);
}

JNIEXPORT jstring JNICALL Java_invalid_example_lattice_WhatCan_nativeStatusMessage(JNIEnv *env,
                                                                                   jclass,
                                                                                   jint status) {
  return env->NewStringUTF(lattice_what_can_status_message(lattice_what_can_status(status)));
}

} // extern "C"
