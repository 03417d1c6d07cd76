# One interface target carries the project's warning flags so that every
# target opts in the same way (cmake_template style).
add_library(tcpviz_warnings INTERFACE)
target_compile_options(tcpviz_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(TCPVIZ_WARNINGS_AS_ERRORS)
  target_compile_options(tcpviz_warnings INTERFACE -Werror)
endif()
