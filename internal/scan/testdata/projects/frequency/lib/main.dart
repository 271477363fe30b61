import 'package:workmanager/workmanager.dart';
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}
void main() {
  Workmanager().initialize(callbackDispatcher);
  Workmanager().registerPeriodicTask('poll', 'poll', frequency: const Duration(minutes: 1), flexInterval: Duration(seconds: 30));
  Workmanager().registerPeriodicTask('ok', 'ok', frequency: Duration(minutes: 15));
}
