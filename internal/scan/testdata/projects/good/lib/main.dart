import 'dart:io';

import 'package:flutter/material.dart';
import 'package:workmanager/workmanager.dart' as wm;

import 'tasks.dart';

@pragma('vm:entry-point')
void callbackDispatcher() {
  wm.Workmanager().executeTask((task, inputData) async {
    switch (task) {
      case kSyncTask:
        return true;
      case kCleanupId:
        return true;
      case Tasks.report:
        return true;
    }
    return false;
  });
}

Future<void> main() async {
  WidgetsFlutterBinding.ensureInitialized();
  await wm.Workmanager().initialize(callbackDispatcher);
  await scheduleSync(const Duration(hours: 1));
  if (Platform.isIOS) {
    await wm.Workmanager().registerProcessingTask(kCleanupId, kCleanupId,
        constraints: wm.Constraints(networkType: wm.NetworkType.connected, requiresCharging: true));
  } else {
    await wm.Workmanager().registerOneOffTask('report-once', Tasks.report,
        initialDelay: Duration(minutes: 10), inputData: {'user': 'u1', 'retries': 3});
  }
  runApp(const MaterialApp());
}
