# Test registration. Conventions, so that adding a test never means editing this file:
#  - tests/unit/<module>/test_*.c: a cmocka program linked with <module> and its
#    dependencies; it runs from the source tree (PARLEY_SOURCE_DIR is defined).
#  - tests/cli/*.sh: shell tests of the CLI, given the binary and the source dir.

file(GLOB unit_dirs LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/tests/unit/*)
foreach(dir ${unit_dirs})
  if(NOT IS_DIRECTORY ${dir})
    continue()
  endif()
  get_filename_component(module ${dir} NAME)
  if(NOT TARGET parley_${module})
    continue()
  endif()
  parley_closure(mods ${module})
  file(GLOB tests CONFIGURE_DEPENDS ${dir}/test_*.c)
  foreach(src ${tests})
    get_filename_component(name ${src} NAME_WE)
    set(target ${module}_${name})
    add_executable(${target} ${src})
    foreach(m ${mods})
      target_link_libraries(${target} PRIVATE parley_${m})
    endforeach()
    target_link_libraries(${target} PRIVATE PkgConfig::CMOCKA)
    target_compile_definitions(${target} PRIVATE PARLEY_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
      PARLEY_ANCHORS_DIR="${CMAKE_SOURCE_DIR}/tests/anchors")
    set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME ${module}/${name} COMMAND ${target})
    set_tests_properties(${module}/${name} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "unit;${module}"
      ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout")
  endforeach()
endforeach()

file(GLOB cli_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*.sh)
foreach(script ${cli_tests})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME cli/${name}
    COMMAND /bin/sh ${script} $<TARGET_FILE:parley_cli> ${CMAKE_SOURCE_DIR})
  # Exit 77 means "skipped" (e.g. report_browser.sh without a browser).
  set_tests_properties(cli/${name} PROPERTIES WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "cli"
    SKIP_RETURN_CODE 77)
endforeach()
