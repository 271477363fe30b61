import 'package:workmanager/workmanager.dart';
class Background {
  static void dispatch() {
    Workmanager().executeTask((task, inputData) async => true);
  }
}
void main() {
  Workmanager().initialize(Background.dispatch);
  Workmanager().registerOneOffTask('once', 'once');
}
