import 'package:workmanager/workmanager.dart';
void main() {
  Workmanager().initialize(() {
    Workmanager().executeTask((task, inputData) async => true);
  });
  Workmanager().registerOneOffTask('once', 'once');
}
