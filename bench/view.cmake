# The view benchmark (bench/bench_view.c): 100,000 synthetic receipts
# filtered, sorted, fitted and read back from the cache; included by
# bench/CMakeLists.txt.
add_executable(bench_view ${CMAKE_CURRENT_LIST_DIR}/bench_view.c)
target_link_libraries(bench_view PRIVATE bezala_tui bezala_core)
target_include_directories(bench_view PRIVATE ${CMAKE_SOURCE_DIR})
target_compile_definitions(bench_view PRIVATE _XOPEN_SOURCE_EXTENDED=1)
bezala_target_flags(bench_view)
