# fotacheck_library(NAME SOURCES ... DEPS ...): a static library of project code with the
# project's warnings. Headers are included as "suite/..." etc. from the repository root.
function(fotacheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 at -O3 (Release) reports impossible things inside the standard library once it is
    # inlined into project code: overlaps in std::string's operator+ and insert ("accessing
    # 9223372036854775810 or more bytes", GCC bug 105329), a memcmp bound past the object size
    # in std::map<std::vector<uint8_t>, ...>::operator[] (suite/coap/context.cpp), a null
    # dereference in a std::string copy (suite/server/registry.cpp). Silenced there only: the
    # other configurations, which CI builds, keep every check.
    target_compile_options(${target} PRIVATE
      "$<$<CONFIG:Release>:-Wno-restrict;-Wno-stringop-overread;-Wno-null-dereference>")
  endif()
  if(FOTACHECK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(fotacheck_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  fotacheck_warnings(${name})
endfunction()

# fotacheck_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary; every test in it
# becomes its own CTest entry so `ctest -j` spreads them over the cores.
function(fotacheck_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    FOTACHECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}" FOTACHECK_BINARY_DIR="${PROJECT_BINARY_DIR}")
  fotacheck_warnings(${name})
  # Line tables only (-g1) in the default RelWithDebInfo build: every backtrace, debugger stop
  # and sanitizer report still names the file and line, but the test sources, the costliest
  # objects of the build (GoogleTest's macros expand to much code), compile with about a
  # quarter less CPU without the full description of every type and variable. Debug keeps -g.
  target_compile_options(${name} PRIVATE $<$<CONFIG:RelWithDebInfo>:-g1>)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()
include(GoogleTest)

# fotacheck_relative_file_names(TARGET): source and build paths written relative into the
# target's objects (__FILE__ in GoogleTest's messages, debug info), so an installed fotacheck
# carries no path of the machine that built it. For the code that expands GoogleTest's macros
# outside tests (fixtures, cases, runner); tests/install checks the installed binaries for the
# source path. The build folder comes last so that it wins when it lies inside the source.
function(fotacheck_relative_file_names target)
  target_compile_options(${target} PRIVATE
    "-ffile-prefix-map=${PROJECT_SOURCE_DIR}/=" "-ffile-prefix-map=${PROJECT_BINARY_DIR}/=")
endfunction()

# fotacheck_default_test_cost(SECONDS): every test declared so far in the calling folder that has
# no COST of its own gets SECONDS, a rough guess at how long it runs. CTest starts the costliest
# tests first, but it learns their costs only from an earlier run in the same build tree
# (Testing/Temporary/CTestCostData.txt): on a clean clone, as in CI, every cost is 0 and the tests
# start in the order they are declared, so a full catalogue run could be among the last to start
# and the whole run would wait for it. A measured cost replaces the guess only where none is set,
# so the guess stays rough on purpose. Call it last in the folder's CMakeLists.txt.
function(fotacheck_default_test_cost seconds)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(test IN LISTS tests)
    get_test_property(${test} COST cost)
    if(NOT cost)
      set_tests_properties(${test} PROPERTIES COST ${seconds})
    endif()
  endforeach()
endfunction()
