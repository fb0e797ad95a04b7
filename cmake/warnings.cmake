# Compiler warnings and sanitizer flags, kept in one place for every target.
set(BEZALA_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes
    -Wmissing-prototypes -Wvla -Wnull-dereference -Wcast-qual
    -Wno-unused-parameter)

function(bezala_target_flags target)
    target_compile_options(${target} PRIVATE ${BEZALA_WARNING_FLAGS})
    if(BEZALA_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
endfunction()

if(BEZALA_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
