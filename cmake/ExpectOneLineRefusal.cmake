# CTest gpu_check_refuses_on_cpu: scripts/gpu_check.py on a CPU build exits 2 with exactly one line on
# stderr (registered only for builds against a CPU libtorch). cmake -DPYTHON= -DSCRIPT= -DBUILD= -P this file.
execute_process(COMMAND ${PYTHON} ${SCRIPT} --build ${BUILD} --out ${BUILD}/gpu_check_refusal
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${err}" err)
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines extra_lines)
if(NOT rc EQUAL 2 OR NOT extra_lines EQUAL 0 OR NOT err MATCHES "^gpu-check: ")
  message(FATAL_ERROR "expected exit 2 and one line 'gpu-check: ...', got exit ${rc}:\n${err}\n${out}")
endif()
message(STATUS "refused: ${err}")
