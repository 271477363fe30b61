import 'package:workmanager/workmanager.dart';

class Scheduler {
  static const refreshId = 'dev.example.w.refresh';
  final Workmanager _wm;
  Scheduler(this._wm);

  void refresh() => _wm.registerPeriodicTask(refreshId, refreshId, frequency: const Duration(hours: 1));

  void everyFewHours(int hours) {
    _wm.registerPeriodicTask('upload-$hours', 'upload',
        frequency: Duration(hours: hours), constraints: Constraints(networkType: NetworkType.unmetered));
  }
}
