# static_cli.cmake - the self-contained CLI (docs/building.md, "A self-contained CLI"): the same
# objects as bin/lattice, linked into bin/static/lattice against Debian's static archives of
# ANTLR, libsodium, OpenSSL's libcrypto, zlib and terminfo (LLVM Support is static already),
# fmt's implementation compiled in (compiler/static_cli/fmt_impl.cpp: Debian has no libfmt.a),
# the C++ runtime and libgcc statically; glibc stays shared. Only one more link, no second build.
#
# The libraries link their dependencies through the interface targets below, which resolve per
# executable: to the static archives for one whose LATTICE_STATIC_DEPS property is ON, to the
# shared libraries for every other. Compiling is the same either way.
find_library(LATTICE_ANTLR4_STATIC libantlr4-runtime.a)
find_library(LATTICE_SODIUM_STATIC libsodium.a)
find_library(LATTICE_CRYPTO_STATIC libcrypto.a)
find_library(LATTICE_TINFO_STATIC libtinfo.a)
find_library(LATTICE_Z_STATIC libz.a)
find_path(LATTICE_FMT_INL_DIR fmt/format-inl.h)
set(lattice_static_found TRUE)
foreach(var LATTICE_ANTLR4_STATIC LATTICE_SODIUM_STATIC LATTICE_CRYPTO_STATIC LATTICE_TINFO_STATIC
            LATTICE_Z_STATIC LATTICE_FMT_INL_DIR)
  if(NOT ${var})
    set(lattice_static_found FALSE)
  endif()
endforeach()
# Not in the sanitizer and fuzzing build: an instrumented binary is no artefact to ship.
set(lattice_static_default ${lattice_static_found})
if(LATTICE_SANITIZE OR LATTICE_FUZZ)
  set(lattice_static_default OFF)
endif()
option(LATTICE_STATIC_CLI
  "Also link bin/static/lattice against static archives (a CLI to copy into CI images)"
  ${lattice_static_default})
if(LATTICE_STATIC_CLI AND NOT lattice_static_found)
  message(FATAL_ERROR "LATTICE_STATIC_CLI needs libantlr4-runtime.a, libsodium.a, libcrypto.a, "
                      "libtinfo.a, libz.a and fmt/format-inl.h (Debian: libantlr4-runtime-dev "
                      "libsodium-dev libssl-dev libncurses-dev zlib1g-dev libfmt-dev)")
endif()

set(lattice_static "$<BOOL:$<TARGET_PROPERTY:LATTICE_STATIC_DEPS>>")
set(lattice_shared "$<NOT:${lattice_static}>")

add_library(lattice_dep_fmt INTERFACE)
add_library(lattice_dep_antlr4 INTERFACE)
add_library(lattice_dep_sodium INTERFACE)
add_library(lattice_dep_crypto INTERFACE)
target_link_libraries(lattice_dep_fmt INTERFACE "$<${lattice_shared}:fmt::fmt>")
target_include_directories(lattice_dep_fmt SYSTEM INTERFACE
  $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)
target_link_libraries(lattice_dep_antlr4 INTERFACE "$<${lattice_shared}:antlr4_shared>")
target_include_directories(lattice_dep_antlr4 SYSTEM INTERFACE
  $<TARGET_PROPERTY:antlr4_shared,INTERFACE_INCLUDE_DIRECTORIES>)

if(LATTICE_STATIC_CLI)
  add_library(lattice_fmt_static STATIC ${PROJECT_SOURCE_DIR}/compiler/static_cli/fmt_impl.cpp)
  target_include_directories(lattice_fmt_static SYSTEM PRIVATE ${LATTICE_FMT_INL_DIR})
  target_compile_options(lattice_fmt_static PRIVATE -w) # fmt's code, not ours to warn about
  target_link_libraries(lattice_dep_fmt INTERFACE "$<${lattice_static}:lattice_fmt_static>")
  target_link_libraries(lattice_dep_antlr4 INTERFACE
    "$<${lattice_static}:${LATTICE_ANTLR4_STATIC}>")
  target_link_libraries(lattice_dep_sodium INTERFACE
    "$<${lattice_static}:${LATTICE_SODIUM_STATIC}>")
  # libcrypto.a's engine and provider loading needs dlopen (in glibc 2.34 and later, libc itself).
  target_link_libraries(lattice_dep_crypto INTERFACE
    "$<${lattice_static}:${LATTICE_CRYPTO_STATIC}>" "$<${lattice_static}:${CMAKE_DL_LIBS}>")
  # LLVM Support's interface names libz3.so, zlib and terminfo (shared): for the static CLI,
  # the archives of zlib and terminfo (Support's Z3 solver is never linked in).
  get_target_property(llvm_support_deps LLVMSupport INTERFACE_LINK_LIBRARIES)
  set(deps "")
  foreach(dep IN LISTS llvm_support_deps)
    if(dep MATCHES "z3|ZLIB|[Tt]erminfo")
      list(APPEND deps "$<${lattice_shared}:${dep}>")
    else()
      list(APPEND deps "${dep}")
    endif()
  endforeach()
  list(APPEND deps "$<${lattice_static}:${LATTICE_Z_STATIC}>"
                   "$<${lattice_static}:${LATTICE_TINFO_STATIC}>")
  set_target_properties(LLVMSupport PROPERTIES INTERFACE_LINK_LIBRARIES "${deps}")
endif()
