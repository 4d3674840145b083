# Registers one CTest test per GoogleTest *suite* of a test binary (run after it links), so each
# suite pays libtorch's start-up (~0.5 s of static initialisation per process) once, not once per
# test. Inputs: -DBINARY= -DOUT= -DLABEL= -DTIMEOUT= -DWORKDIR=
execute_process(COMMAND ${BINARY} --gtest_list_tests OUTPUT_VARIABLE listing RESULT_VARIABLE rc TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BINARY} --gtest_list_tests failed (${rc})")
endif()
get_filename_component(name ${BINARY} NAME)
string(REPLACE "\n" ";" lines "${listing}")
set(script "")
foreach(line IN LISTS lines)
  # Suite lines start in column 0 and end with '.' (then an optional "  # TypeParam" comment).
  if(line MATCHES "^([^ #][^ ]*)\\.")
    set(suite ${CMAKE_MATCH_1})
    string(APPEND script
      "add_test([=[${suite}]=] [==[${BINARY}]==] [==[--gtest_filter=${suite}.*]==])\n"
      "set_tests_properties([=[${suite}]=] PROPERTIES LABELS ${LABEL} TIMEOUT ${TIMEOUT} WORKING_DIRECTORY [==[${WORKDIR}]==])\n")
  endif()
endforeach()
file(WRITE ${OUT} "${script}")
