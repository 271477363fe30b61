void broken( {
  Workmanager().registerOneOffTask("a", "b"
