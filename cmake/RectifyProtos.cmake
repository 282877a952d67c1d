# Compiles .proto files with protoc and grpc_cpp_plugin at build time.
#
# The standard googleapis protos (google/api/annotations.proto, google/rpc/status.proto, ...) come
# from Debian's golang-github-gogo-googleapis-dev and the gRPC health protocol from grpc-proto;
# they are compiled from where Debian installs them and never copied into this repository.

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
find_path(GOOGLEAPIS_PROTO_DIR NAMES google/api/annotations.proto
  PATHS /usr/share/gocode/src/github.com/gogo/googleapis REQUIRED NO_DEFAULT_PATH)
find_path(GRPC_PROTO_DIR NAMES grpc/health/v1/health.proto PATHS /usr/share/grpc-proto REQUIRED
  NO_DEFAULT_PATH)
find_path(PROTOBUF_WELLKNOWN_DIR NAMES google/protobuf/timestamp.proto PATHS ${Protobuf_INCLUDE_DIRS}
  /usr/include REQUIRED)

set(RECTIFY_PROTO_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${RECTIFY_PROTO_GEN_DIR})

# rectify_compile_protos(OUT_SRCS ROOT <dir> PROTOS <relative paths...> [GRPC])
function(rectify_compile_protos out_srcs)
  cmake_parse_arguments(ARG "GRPC" "ROOT" "PROTOS" ${ARGN})
  set(srcs)
  foreach(rel ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" stem ${rel})
    set(outs ${RECTIFY_PROTO_GEN_DIR}/${stem}.pb.cc ${RECTIFY_PROTO_GEN_DIR}/${stem}.pb.h)
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outs ${RECTIFY_PROTO_GEN_DIR}/${stem}.grpc.pb.cc
           ${RECTIFY_PROTO_GEN_DIR}/${stem}.grpc.pb.h)
      set(plugin_args --grpc_out=${RECTIFY_PROTO_GEN_DIR}
          --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc
        -I${CMAKE_SOURCE_DIR}/protos -I${GOOGLEAPIS_PROTO_DIR} -I${GRPC_PROTO_DIR}
        -I${PROTOBUF_WELLKNOWN_DIR}
        --cpp_out=${RECTIFY_PROTO_GEN_DIR} ${plugin_args}
        ${ARG_ROOT}/${rel}
      DEPENDS ${ARG_ROOT}/${rel} protobuf::protoc
      COMMENT "protoc ${rel}"
      VERBATIM)
    list(APPEND srcs ${outs})
  endforeach()
  set(${out_srcs} ${srcs} PARENT_SCOPE)
endfunction()
