# Embeds a service's versioned migrations (schema/V###__name.sql) into its library, so a binary
# carries the exact schema it was built against and never reads SQL from a path at run time.
#
# rectify_embed_migrations(<target> <schema dir> <C++ function name>)
# generates `std::vector<rectify::mysql::Migration> <function>()`.
function(rectify_embed_migrations target dir function_name)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/V*__*.sql)
  list(SORT files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations.cc)
  set(body "")
  foreach(f ${files})
    get_filename_component(name ${f} NAME)
    string(REGEX MATCH "^V([0-9]+)__" _ ${name})
    set(version ${CMAKE_MATCH_1})
    math(EXPR version "${version} + 0")
    file(READ ${f} sql)
    string(APPEND body "      {${version}, \"${name}\", R\"rectify_sql(${sql})rectify_sql\"},\n")
  endforeach()
  file(GENERATE OUTPUT ${out} CONTENT
"// Generated from ${dir} by cmake/RectifyMigrations.cmake. Do not edit.
#include <vector>

#include \"common/mysql/migrations.h\"

namespace rectify {
std::vector<mysql::Migration> ${function_name}() {
  return {
${body}  };
}
}  // namespace rectify
")
  target_sources(${target} PRIVATE ${out})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${files})
endfunction()

# Embeds a text file as `absl::string_view <function>()` in namespace rectify.
function(rectify_embed_text target file function_name)
  get_filename_component(name ${file} NAME_WE)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_${function_name}.cc)
  file(READ ${file} text)
  file(GENERATE OUTPUT ${out} CONTENT
"// Generated from ${file} by cmake/RectifyMigrations.cmake. Do not edit.
#include \"absl/strings/string_view.h\"

namespace rectify {
absl::string_view ${function_name}() {
  static constexpr char kText[] = R\"rectify_text(${text})rectify_text\";
  return absl::string_view(kText, sizeof(kText) - 1);
}
}  // namespace rectify
")
  target_sources(${target} PRIVATE ${out})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
endfunction()
