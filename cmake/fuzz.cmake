# libFuzzer builds: every library instrumented for coverage, ASan and
# UBSan, and the harnesses in fuzz/ linked with the libFuzzer runtime.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR
        "BEZALA_FUZZ needs clang: configure with -DCMAKE_C_COMPILER=clang")
endif()
if(BEZALA_SANITIZE)
    message(FATAL_ERROR "BEZALA_FUZZ already sanitizes; drop BEZALA_SANITIZE")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)

add_subdirectory(fuzz)
