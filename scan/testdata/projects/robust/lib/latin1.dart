const s = "café";
