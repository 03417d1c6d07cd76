# One interface target carries the project's warning flags so that every
# target opts in the same way (cmake_template style).
add_library(tcpviz_warnings INTERFACE)
target_compile_options(tcpviz_warnings INTERFACE
  -Wall -Wextra -Wpedantic $<IF:$<CXX_COMPILER_ID:GNU>,-Wshadow=local,-Wshadow-uncaptured-local> -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
# GCC 12 at -O3 reports -Wrestrict inside libstdc++'s std::string code for
# ordinary concatenations (GCC bug 105329): a false positive we cannot fix.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(tcpviz_warnings INTERFACE -Wno-restrict)
endif()
if(TCPVIZ_WARNINGS_AS_ERRORS)
  target_compile_options(tcpviz_warnings INTERFACE -Werror)
endif()
