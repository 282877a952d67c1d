# Fails the build when a service's domain layer can reach transport or database code.
#
# The domain (every */domain/ file) and the storage interfaces it depends on (*/storage/*_store.h
# that are not MySQL implementations) may include the standard library, Abseil, nlohmann-json,
# common/ headers that are neither gRPC nor MySQL, and each other, and nothing that reaches gRPC,
# generated protos, Connector/C++, the outbox or a storage, API or export implementation. Project
# headers are followed through every include, so a header that only passes something on is
# caught too.
#
#   cmake -DROOT=<source dir> -P cmake/check_layers.cmake
cmake_minimum_required(VERSION 3.25)

set(FORBIDDEN
  "^grpc" "^grpcpp/" "^cppconn/" "^mysql" "^xlsxwriter" "^rectify/v1/" "^google/"
  "^common/mysql/" "^common/outbox\\.h$" "^common/rpc" "^common/server\\.h$"
  "^common/service_runtime\\.h$" "^common/event_proto\\.h$" "^common/event_consumer\\.h$"
  "^common/change_record\\.h$" "^common/metrics\\.h$"
  "/api/" "/storage/mysql_" "/storage/decoded_" "/export/" "/clients/")

set(visited "")
set(problems "")

function(check_file file chain)
  if(file IN_LIST visited)
    return()
  endif()
  list(APPEND visited "${file}")
  set(visited "${visited}" PARENT_SCOPE)
  file(STRINGS "${ROOT}/${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*$" "\\1" header "${line}")
    foreach(pattern IN LISTS FORBIDDEN)
      if(header MATCHES "${pattern}")
        list(APPEND problems "${chain} -> ${file} includes ${header}")
        set(problems "${problems}" PARENT_SCOPE)
      endif()
    endforeach()
    if(EXISTS "${ROOT}/${header}" AND NOT IS_DIRECTORY "${ROOT}/${header}")
      check_file("${header}" "${chain} -> ${file}")
      set(visited "${visited}" PARENT_SCOPE)
      set(problems "${problems}" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

file(GLOB_RECURSE domain RELATIVE "${ROOT}" "${ROOT}/*-service/domain/*.h" "${ROOT}/*-service/domain/*.cc")
file(GLOB_RECURSE interfaces RELATIVE "${ROOT}" "${ROOT}/*-service/storage/*_store.h")
list(FILTER interfaces EXCLUDE REGEX "/storage/mysql_")
foreach(file IN LISTS domain interfaces)
  set(visited "")
  check_file("${file}" "layer check")
endforeach()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "The domain layer reaches code it must not:\n  ${text}")
endif()
