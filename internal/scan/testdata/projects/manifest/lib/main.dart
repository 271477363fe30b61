import 'package:workmanager/workmanager.dart';
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}
void main() {
  Workmanager().initialize(callbackDispatcher);
  Workmanager().registerOneOffTask('upload', 'upload', expedited: true);
}
