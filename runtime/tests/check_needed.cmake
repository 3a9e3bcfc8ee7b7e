# check_needed.cmake - fails unless BINARY's dynamic dependencies (ELF NEEDED entries) are only
# the C/C++ standard libraries (with -DC_ONLY=ON: only the C library). Run with
# cmake -DREADELF=... -DBINARY=... [-DC_ONLY=ON] -P check_needed.cmake.
if(NOT READELF OR NOT EXISTS "${READELF}")
  message("readelf not found: skipping")
  return()
endif()
execute_process(COMMAND ${READELF} -d ${BINARY} OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readelf -d ${BINARY} failed")
endif()
string(REGEX MATCHALL "Shared library: \\[[^]]+\\]" entries "${dynamic}")
# Sanitizer runtimes appear only in sanitizer builds, which are a build option, not a dependency.
set(allowed "^(libc|libstdc\\+\\+|libm|libgcc_s|ld-linux[-a-z0-9_]*|libasan|libubsan|libtsan)\\.so")
if(C_ONLY)
  set(allowed "^(libc|libm|ld-linux[-a-z0-9_]*|libasan|libubsan|libtsan)\\.so")
endif()
# A sanitizer build (SANITIZED) checks memory, not dependencies: clang's static sanitizer runtime
# needs libresolv, UBSan's function check references C++ type info, and clang links without
# --as-needed, so the C++ runtime and libresolv are allowed there. Normal builds keep the list above.
if(SANITIZED)
  set(allowed "^(libc|libstdc\\+\\+|libm|libgcc_s|ld-linux[-a-z0-9_]*|libasan|libubsan|libtsan|libresolv)\\.so")
endif()
foreach(entry IN LISTS entries)
  string(REGEX REPLACE "Shared library: \\[([^]]+)\\]" "\\1" library "${entry}")
  message("NEEDED ${library}")
  if(NOT library MATCHES "${allowed}")
    message(FATAL_ERROR "the runtime pulls in ${library}: only ${allowed} is allowed")
  endif()
endforeach()
