# compare_generated_doc.cmake - runs a doc generator and fails if its output differs from the
# committed page (used for docs/diagnostics.md, whose examples are real compiler output).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
execute_process(COMMAND ${Python3_EXECUTABLE} ${GEN} ${LATTICE} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generator failed: ${GEN}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${DOC} RESULT_VARIABLE differs)
if(differs)
  message(FATAL_ERROR "${DOC} is out of date; regenerate it with:\n"
                      "  python3 docs/tools/gen_diagnostics.py build/bin/lattice docs/diagnostics.md")
endif()
