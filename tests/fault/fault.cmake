# The allocation-failure walk (tests/fault/fault_walk.c, docs/ROBUSTNESS.md),
# included from fuzz/CMakeLists.txt. Built and registered only with
# -DPARLEY_FAULT_INJECTION=ON; `make test-fault` configures that build with
# clang, ASan and LSan and runs it. The PARLEY_HAVE_* switches come from the
# API detection in fuzz/CMakeLists.txt.
if(PARLEY_FAULT_INJECTION)
  parley_fuzz_defined(PARLEY_HAVE_SIM parley_sim_new parley_sim_run parley_sim_free)
  add_executable(fault_walk ${CMAKE_SOURCE_DIR}/tests/fault/fault_walk.c)
  # The calibration files and the draw matrix (src/montecarlo/calibrate.c, lhs.c).
  parley_fuzz_defined(PARLEY_HAVE_CALIBRATION parley_patterns_load parley_patterns_check
    parley_ensemble_load parley_draw_matrix)
  # Replaying a sweep's run (src/report/report_replay.c; PLplot comes with the module).
  parley_fuzz_defined(PARLEY_HAVE_REPLAY parley_replay_open parley_replay_run parley_replay_free)
  if(PARLEY_HAVE_SIM AND PARLEY_HAVE_SCENARIO_LOAD)
    if(PARLEY_HAVE_CALIBRATION AND TARGET parley_montecarlo AND PARLEY_HAVE_REPLAY
        AND TARGET parley_report)
      parley_fuzz_library(parley_fault_lib process bargain montecarlo report)
      target_link_libraries(parley_fault_lib PUBLIC PkgConfig::PLPLOT)
    elseif(PARLEY_HAVE_CALIBRATION AND TARGET parley_montecarlo)
      set(PARLEY_HAVE_REPLAY OFF)
      parley_fuzz_library(parley_fault_lib process bargain montecarlo)
    else()
      set(PARLEY_HAVE_CALIBRATION OFF)
      set(PARLEY_HAVE_REPLAY OFF)
      parley_fuzz_library(parley_fault_lib process bargain)
    endif()
    target_link_libraries(fault_walk PRIVATE parley_fault_lib)
  else()
    set(PARLEY_HAVE_SIM OFF)
    set(PARLEY_HAVE_CALIBRATION OFF)
    set(PARLEY_HAVE_REPLAY OFF)
    target_link_libraries(fault_walk PRIVATE parley_fuzz_bargain_lib)
  endif()
  target_compile_definitions(fault_walk PRIVATE PARLEY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  foreach(have PARLEY_HAVE_SCENARIO_LOAD PARLEY_HAVE_SCENARIO_DUMP PARLEY_HAVE_SCENARIO_SET
      PARLEY_HAVE_BARGAIN_READ PARLEY_HAVE_SIM PARLEY_HAVE_CALIBRATION PARLEY_HAVE_REPLAY)
    if(${have})
      target_compile_definitions(fault_walk PRIVATE ${have}=1)
    endif()
  endforeach()
  set_target_properties(fault_walk PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME fault/walk COMMAND fault_walk)
  add_test(NAME fault/walk_self_test COMMAND fault_walk --self-test)
  # The planted leak stays allocated; only the walk's own check should see it.
  set_tests_properties(fault/walk_self_test PROPERTIES LABELS "fault"
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:leak_check_at_exit=0")
  set_tests_properties(fault/walk PROPERTIES WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    LABELS "fault" TIMEOUT 3000 ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")
endif()
