import 'package:workmanager/workmanager.dart';
const syncTask = 'sync';
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask(handle);
}
Future<bool> handle(String task, Map<String, dynamic>? data) async {
  switch (task) {
    case syncTask:
      return true;
  }
  if (task == 'upload') return true;
  return false;
}
void main() {
  Workmanager().initialize(callbackDispatcher);
  Workmanager().registerPeriodicTask('sync-1', syncTask);
  Workmanager().registerOneOffTask('upload-1', 'upload');
  Workmanager().registerOneOffTask('cleanup-1', 'cleanup');
}
