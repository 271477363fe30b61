import 'package:workmanager/workmanager.dart';
void callbackDispatcher() {
  Workmanager.executeTask((task, inputData) => Future.value(true));
}
void main() {
  Workmanager.initialize(callbackDispatcher, isInDebugMode: false);
  Workmanager.registerPeriodicTask('sync', 'sync', frequency: Duration(hours: 2));
}
