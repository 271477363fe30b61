import 'package:workmanager/workmanager.dart';

@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}

Future<void> main() async {
  await Workmanager().registerPeriodicTask('sync', 'sync');
  await Workmanager().initialize(callbackDispatcher);
}
