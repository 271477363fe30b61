import 'dart:io' as io;
import 'package:flutter/widgets.dart';
import 'package:workmanager/workmanager.dart' as wm;
import 'scheduler.dart';

@pragma('vm:entry-point')
void callbackDispatcher() {
  wm.Workmanager().executeTask((task, inputData) async {
    switch (task) {
      case Scheduler.refreshId:
      case 'upload':
        return true;
      default:
        return false;
    }
  });
}

class _HomeState extends State<StatefulWidget> {
  final scheduler = Scheduler(wm.Workmanager());
  @override
  void initState() {
    super.initState();
    if (io.Platform.isAndroid) {
      scheduler.everyFewHours(3);
    }
  }
  Widget build(BuildContext context) => const SizedBox();
}

void main() {
  wm.Workmanager().initialize(callbackDispatcher);
  final s = Scheduler(wm.Workmanager());
  if (io.Platform.isIOS) {
    s.refresh();
  }
}
