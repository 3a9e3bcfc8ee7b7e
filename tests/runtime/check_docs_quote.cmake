# check_docs_quote.cmake - fails unless each of FILES appears verbatim in DOC.
# Run with cmake -DDOC=... -DFILES="a;b" -P check_docs_quote.cmake.
file(READ "${DOC}" doc)
foreach(path IN LISTS FILES)
  file(READ "${path}" content)
  string(FIND "${doc}" "${content}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${DOC} does not quote ${path} verbatim: copy the file into it again")
  endif()
endforeach()
