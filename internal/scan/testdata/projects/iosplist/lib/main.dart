import 'dart:io' show Platform;
import 'package:workmanager/workmanager.dart';
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}
Future<void> main() async {
  await Workmanager().initialize(callbackDispatcher);
  if (!Platform.isIOS) return;
  await Workmanager().registerProcessingTask('dev.example.process', 'process');
  await Workmanager().registerContinuedProcessingTask('dev.example.cont.export', 'export');
}
