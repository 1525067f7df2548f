{
  "targets": [
    {
      "target_name": "thalex_codec",
      "sources": [
        "src/codec.cc",
        "<!(node -p \"require('path').relative(process.cwd(), require('path').join(require('path').dirname(require.resolve('@nozbe/simdjson/package.json')), 'src', 'simdjson.cpp'))\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!(node -p \"require('path').join(require('path').dirname(require.resolve('@nozbe/simdjson/package.json')), 'src')\")"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "SIMDJSON_EXCEPTIONS=0"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++1y", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O3"],
      "xcode_settings": { "CLANG_CXX_LANGUAGE_STANDARD": "c++17", "GCC_OPTIMIZATION_LEVEL": "3" }
    }
  ]
}
