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

# The sanitizers travel the same way: every target links tcpviz_warnings, so
# TCPVIZ_SANITIZE instruments the project's own code and nothing else.
add_library(tcpviz_sanitizers INTERFACE)
if(TCPVIZ_SANITIZE)
  target_compile_options(tcpviz_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(tcpviz_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
target_link_libraries(tcpviz_warnings INTERFACE tcpviz_sanitizers)
