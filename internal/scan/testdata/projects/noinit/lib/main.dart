import 'package:workmanager/workmanager.dart';
void main() {
  Workmanager().registerOneOffTask('once', 'once');
}
