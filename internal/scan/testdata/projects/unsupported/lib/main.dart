import 'package:workmanager/workmanager.dart';
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}
Future<void> main() async {
  await Workmanager().initialize(callbackDispatcher);
  await Workmanager().registerProcessingTask('dev.example.p', 'p');
  final scheduled = await Workmanager().isScheduledByUniqueName('dev.example.p');
  print(await Workmanager().printScheduledTasks());
}
