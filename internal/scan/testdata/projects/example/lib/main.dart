import 'package:workmanager/workmanager.dart';
const simplePeriodicTask = "be.tramckrijte.workmanagerExample.simplePeriodicTask";
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}
void main() {
  Workmanager().initialize(callbackDispatcher);
  Workmanager().registerOneOffTask('1', 'simpleTask');
  Workmanager().registerPeriodicTask('3', simplePeriodicTask);
}
