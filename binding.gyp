{
  "targets": [
    {
      "target_name": "mixtape_native",
      "sources": ["native/binding.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
                  "MIXTAPE_VERSION=\"<!(node -p \"require('./package.json').version\")\""],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"],
      "conditions": [
        ["OS!='win' and target_arch=='x64'", {"cflags_cc": ["-march=native"]}],
        ["OS=='mac'", {"xcode_settings": {"GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LIBRARY": "libc++",
                                          "MACOSX_DEPLOYMENT_TARGET": "10.15",
                                          "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-O3"]}}],
        ["OS=='win'", {"msvs_settings": {"VCCLCompilerTool": {"ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"]}}}]
      ]
    }
  ]
}
