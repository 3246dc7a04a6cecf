{
  "targets": [
    {
      "target_name": "kts_native",
      "sources": ["native/kts_native.c"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
    }
  ]
}
